using System.ComponentModel.DataAnnotations;

namespace MorfX.ConfigApiClient;

/// <summary>
/// Where config-api's internal look-up answers and how much of it is cached. The keys are the ones the AppHost, the
/// manifests and the tests set: Services:ConfigApi, Internal:ServiceKey, and the IntegrationLookup section.
/// </summary>
public sealed class ConfigApiClientOptions
{
    public const string CacheSection = "IntegrationLookup";
    public const string BaseAddressKey = "Services:ConfigApi";
    public const string ServiceKeyKey = "Internal:ServiceKey";

    /// <summary>Under the AppHost the service discovery name (the default), in the cluster http://config-api:8081, in tests an address.</summary>
    [Required] public Uri BaseAddress { get; set; } = new("http://_internal.config-api");

    /// <summary>The key config-api expects in X-Internal-Key. A secret: never logged.</summary>
    [Required(ErrorMessage = "Missing configuration value 'Internal:ServiceKey' (environment variable Internal__ServiceKey).")]
    public string ServiceKey { get; set; } = "";

    /// <summary>Found integrations remembered at once.</summary>
    [Range(1, 1_000_000)] public int MaxCached { get; set; } = 10_000;

    /// <summary>Misses remembered at once, apart from the found ones, so a flood of unknown shops cannot push out the known ones.</summary>
    [Range(1, 1_000_000)] public int MaxCachedMisses { get; set; } = 10_000;

    /// <summary>How often config-api's change feed is read (IntegrationChangeFeed); well under <see cref="MaxStaleness"/>, so a slow read or two do not stop the cache.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:10")] public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Cached answers are served only while the change feed was read within this: the longest a deleted or rotated credential
    /// is used after the change (issue 32's 5 s). Past it every look-up asks config-api.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")] public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Anonymous look-ups per second (all keys together, per instance) of keys outside config-api's known set (decision 0038):
    /// past it they are misses without a call. What a flood of unknown shops or workspaces can cost config-api.
    /// </summary>
    [Range(1, 100_000)] public int UnknownLookupsPerSecond { get; set; } = 50;
}
