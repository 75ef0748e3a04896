await MorfX.TwilioEmulator.TwilioEmulatorApp.Build(args).RunAsync();
