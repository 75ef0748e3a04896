await MorfX.UsageApi.UsageApiApp.Build(args).RunAsync();
