using MorfX.ServiceDefaults;

return await ServiceApp.RunAsync(args, ResourceNames.IngestDb, typeof(MorfX.WebhookIngest.WebhookIngestApp).Assembly, MorfX.WebhookIngest.WebhookIngestApp.Build);
