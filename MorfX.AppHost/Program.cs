using MorfX.AppHost;
using MorfX.ServiceDefaults;

var builder = DistributedApplication.CreateBuilder(args);

// State (development keys, OS-package server data) lives in the checkout's git-ignored .morfx/, as the runner's always has.
var stateDirectory = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".morfx"));
DevelopmentSecrets.Apply(builder.Configuration, stateDirectory, Servers.PasswordParameters(ResourceMap.Current));
var signingKey = builder.AddParameter("auth-signing-key", secret: true);
var internalKey = builder.AddParameter("internal-service-key", secret: true);
var keyRingKey = builder.AddParameter("data-protection-kek", secret: true);
var redactionKey = builder.AddParameter("redaction-hash-key", secret: true);

var map = ResourceMap.Current; // deploy/resources.json: names, ports, databases
var servers = Servers.Add(builder, stateDirectory);
var outside = OutsideEndpoints.Add(builder);

// What every service gets: its own database and broker user, the token signing key, the outside endpoints and a health check on
// /health. Ports are fixed (deploy/resources.json) and not proxied, so bookmarks and the frontend's settings keep working.
IResourceBuilder<ProjectResource> Service<TProject>(string name) where TProject : IProjectMetadata, new()
{
    var resource = map[name];
    var db = servers.Database(resource);
    var bus = servers.Messaging(resource);
    return outside.ApplyTo(builder.AddProject<TProject>(name)
        .WithHttpEndpoint(port: resource.Port, targetPort: resource.Port, isProxied: false)
        .WithPlainHttpOnly()
        .WithReference(db, resource.Database!).WaitFor(db)
        .WithReference(bus, ResourceNames.Messaging).WaitFor(bus)
        .WithEnvironment("Auth__SigningKey", signingKey)
        // Metrics reach the dashboard every 5 s instead of Aspire's 1 s: at hundreds of orders a second the dashboard's
        // intake of five services' instruments cost as much CPU as a service (the benchmark's figures, README).
        .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "5000")
        .WithHttpHealthCheck("/health"));
}

// config-api's secret look-ups (/internal/*) answer only on their own endpoint, which is not external (nor routed in k8s).
// Only the services that call them (webhook-ingest, sms-sender) get the internal key besides config-api.
var internalPort = map[ResourceNames.ConfigApi].InternalPort
    ?? throw new InvalidOperationException("config-api has no internalPort in deploy/resources.json");
var configApi = Service<Projects.MorfX_ConfigApi>(ResourceNames.ConfigApi)
    .WithHttpEndpoint(port: internalPort, targetPort: internalPort, name: ResourceNames.InternalEndpoint, isProxied: false)
    .WithEnvironment("Internal__ServiceKey", internalKey)
    // The services run without a launch profile (Production): config-api starts only with its key ring encrypted.
    .WithEnvironment("DataProtection__KeyEncryptionKey", keyRingKey)
    .WithEnvironment("Internal__Port", internalPort.ToString())
    .WithEndpoint("http", e => e.IsExternal = true);

IResourceBuilder<ProjectResource> LooksUpSecrets(IResourceBuilder<ProjectResource> service) => service
    .WithEnvironment("Internal__ServiceKey", internalKey)
    // Found by its resource name through service discovery: the "internal" endpoint of config-api.
    .WithReference(configApi)
    .WithEnvironment("Services__ConfigApi", $"http://_{ResourceNames.InternalEndpoint}.{ResourceNames.ConfigApi}")
    .WaitFor(configApi);

var ingest = LooksUpSecrets(Service<Projects.MorfX_WebhookIngest>(ResourceNames.WebhookIngest))
    .WithExternalHttpEndpoints();
// The redaction tombstones' key (decision 0030): the engine's and sms-sender's hashes of what a redacted customer is remembered by.
Service<Projects.MorfX_AutomationEngine>(ResourceNames.AutomationEngine).WithExternalHttpEndpoints()
    .WithEnvironment("Redaction__HashKey", redactionKey);
LooksUpSecrets(Service<Projects.MorfX_SmsSender>(ResourceNames.SmsSender))
    .WithEnvironment("Redaction__HashKey", redactionKey);
Service<Projects.MorfX_UsageApi>(ResourceNames.UsageApi).WithExternalHttpEndpoints();

outside.PublicWebhookUrlDefault = ingest.GetEndpoint("http");

builder.Build().Run();
