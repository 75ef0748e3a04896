await MorfX.SmsSender.SmsSenderApp.Build(args).RunAsync();
