await MorfX.AutomationEngine.AutomationEngineApp.Build(args).RunAsync();
