using MorfX.ServiceDefaults;

var builder = DistributedApplication.CreateBuilder(args);

// Secrets as Aspire parameters (user secrets or Parameters__* environment variables), never in source.
var signingKey = builder.AddParameter("auth-signing-key", secret: true);
var internalKey = builder.AddParameter("internal-service-key", secret: true);
var twilioBaseUrl = builder.AddParameter("twilio-base-url", "https://api.twilio.com");
var publicWebhookUrl = builder.AddParameter("public-webhook-url");
var llmEndpoint = builder.AddParameter("llm-endpoint", "https://api.openai.com/v1");
var llmModel = builder.AddParameter("llm-model", "gpt-4o-mini");
var llmApiKey = builder.AddParameter("llm-api-key", secret: true);

var postgres = builder.AddPostgres(ResourceNames.Postgres).WithDataVolume();
var messaging = builder.AddRabbitMQ(ResourceNames.Messaging).WithManagementPlugin();

// What every service gets: its own database, the bus, the token signing key, and a health check on /health.
IResourceBuilder<ProjectResource> Service<TProject>(string name, string database) where TProject : IProjectMetadata, new()
{
    var db = postgres.AddDatabase(database);
    return builder.AddProject<TProject>(name)
        .WithReference(db).WaitFor(db)
        .WithReference(messaging).WaitFor(messaging)
        .WithEnvironment("Auth__SigningKey", signingKey)
        .WithHttpHealthCheck("/health");
}

// config-api's /internal/* look-ups are guarded by the internal service key; the cluster Ingress does not route them.
// Only the services that call them (webhook-ingest, sms-sender) get the key besides config-api.
var configApi = Service<Projects.MorfX_ConfigApi>(ResourceNames.ConfigApi, ResourceNames.ConfigDb)
    .WithEnvironment("Internal__ServiceKey", internalKey)
    .WithEnvironment("PublicUrls__WebhookIngest", publicWebhookUrl)
    .WithExternalHttpEndpoints();

Service<Projects.MorfX_WebhookIngest>(ResourceNames.WebhookIngest, ResourceNames.IngestDb)
    .WithEnvironment("Internal__ServiceKey", internalKey)
    .WithEnvironment("Services__ConfigApi", configApi.GetEndpoint("http"))
    .WithEnvironment("PublicUrls__WebhookIngest", publicWebhookUrl)
    .WaitFor(configApi)
    .WithExternalHttpEndpoints();

Service<Projects.MorfX_AutomationEngine>(ResourceNames.AutomationEngine, ResourceNames.EngineDb)
    .WithEnvironment("Llm__Endpoint", llmEndpoint)
    .WithEnvironment("Llm__Model", llmModel)
    .WithEnvironment("Llm__ApiKey", llmApiKey)
    .WithExternalHttpEndpoints();

Service<Projects.MorfX_SmsSender>(ResourceNames.SmsSender, ResourceNames.SmsDb)
    .WithEnvironment("Internal__ServiceKey", internalKey)
    .WithEnvironment("Services__ConfigApi", configApi.GetEndpoint("http"))
    .WithEnvironment("PublicUrls__WebhookIngest", publicWebhookUrl)
    .WithEnvironment("Twilio__BaseUrl", twilioBaseUrl)
    .WaitFor(configApi);

Service<Projects.MorfX_UsageApi>(ResourceNames.UsageApi, ResourceNames.UsageDb)
    .WithExternalHttpEndpoints();

builder.Build().Run();
