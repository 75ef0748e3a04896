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
var configDb = postgres.AddDatabase(ResourceNames.ConfigDb);
var ingestDb = postgres.AddDatabase(ResourceNames.IngestDb);
var engineDb = postgres.AddDatabase(ResourceNames.EngineDb);
var smsDb = postgres.AddDatabase(ResourceNames.SmsDb);
var usageDb = postgres.AddDatabase(ResourceNames.UsageDb);
var messaging = builder.AddRabbitMQ(ResourceNames.Messaging).WithManagementPlugin();

// config-api's /internal/* look-ups are guarded by the internal service key; the cluster Ingress does not route them.
var configApi = builder.AddProject<Projects.MorfX_ConfigApi>(ResourceNames.ConfigApi)
    .WithReference(configDb).WaitFor(configDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithEnvironment("Auth__SigningKey", signingKey)
    .WithEnvironment("Internal__ServiceKey", internalKey)
    .WithEnvironment("PublicUrls__WebhookIngest", publicWebhookUrl)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.AddProject<Projects.MorfX_WebhookIngest>(ResourceNames.WebhookIngest)
    .WithReference(ingestDb).WaitFor(ingestDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithEnvironment("Auth__SigningKey", signingKey)
    .WithEnvironment("Internal__ServiceKey", internalKey)
    .WithEnvironment("Services__ConfigApi", configApi.GetEndpoint("http"))
    .WithEnvironment("PublicUrls__WebhookIngest", publicWebhookUrl)
    .WaitFor(configApi)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.AddProject<Projects.MorfX_AutomationEngine>(ResourceNames.AutomationEngine)
    .WithReference(engineDb).WaitFor(engineDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithEnvironment("Auth__SigningKey", signingKey)
    .WithEnvironment("Llm__Endpoint", llmEndpoint)
    .WithEnvironment("Llm__Model", llmModel)
    .WithEnvironment("Llm__ApiKey", llmApiKey)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.AddProject<Projects.MorfX_SmsSender>(ResourceNames.SmsSender)
    .WithReference(smsDb).WaitFor(smsDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithEnvironment("Auth__SigningKey", signingKey)
    .WithEnvironment("Internal__ServiceKey", internalKey)
    .WithEnvironment("Services__ConfigApi", configApi.GetEndpoint("http"))
    .WithEnvironment("PublicUrls__WebhookIngest", publicWebhookUrl)
    .WithEnvironment("Twilio__BaseUrl", twilioBaseUrl)
    .WaitFor(configApi)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.MorfX_UsageApi>(ResourceNames.UsageApi)
    .WithReference(usageDb).WaitFor(usageDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithEnvironment("Auth__SigningKey", signingKey)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.Build().Run();
