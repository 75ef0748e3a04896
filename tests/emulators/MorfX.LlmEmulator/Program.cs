await MorfX.LlmEmulator.LlmEmulatorApp.Build(args).RunAsync();
