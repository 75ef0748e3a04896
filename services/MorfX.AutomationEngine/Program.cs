using MorfX.ServiceDefaults;

return await ServiceApp.RunAsync(args, ResourceNames.EngineDb, typeof(MorfX.AutomationEngine.AutomationEngineApp).Assembly, MorfX.AutomationEngine.AutomationEngineApp.Build);
