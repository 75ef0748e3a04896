using MorfX.ServiceDefaults;

return await ServiceApp.RunAsync(args, ResourceNames.ConfigDb, typeof(MorfX.ConfigApi.ConfigApiApp).Assembly, MorfX.ConfigApi.ConfigApiApp.Build);
