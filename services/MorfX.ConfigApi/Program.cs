await MorfX.ConfigApi.ConfigApiApp.Build(args).RunAsync();
