namespace MorfX.ServiceDefaults;

/// <summary>One entry of deploy/resources.json (<see cref="ResourceMap"/>).</summary>
public sealed record MappedResource(string Name, string Project, int Port, string? Database = null,
    string? InternalEndpoint = null, int? InternalPort = null, BrokerAccess? Broker = null);
