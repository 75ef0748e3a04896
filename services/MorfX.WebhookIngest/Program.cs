await MorfX.WebhookIngest.WebhookIngestApp.Build(args).RunAsync();
