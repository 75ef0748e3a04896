using MorfX.ServiceDefaults;

return await ServiceApp.RunAsync(args, ResourceNames.UsageDb, typeof(MorfX.UsageApi.UsageApiApp).Assembly, MorfX.UsageApi.UsageApiApp.Build);
