using MorfX.ServiceDefaults;

return await ServiceApp.RunAsync(args, ResourceNames.SmsDb, typeof(MorfX.SmsSender.SmsSenderApp).Assembly, MorfX.SmsSender.SmsSenderApp.Build);
