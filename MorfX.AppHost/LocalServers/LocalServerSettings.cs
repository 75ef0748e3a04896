using Microsoft.Extensions.Configuration;

namespace MorfX.AppHost.LocalServers;

/// <summary>
/// Ports, node name and state folder of the OS-package servers (configuration section LocalServers, e.g. the environment
/// variable LocalServers__PostgresPort). The defaults differ from the test fixtures' servers (deploy/local/infra.sh), so
/// the AppHost and a test run can share a machine; the Erlang port mapper gets its own port so stopping it touches no
/// other node.
/// </summary>
public sealed class LocalServerSettings
{
    public int PostgresPort { get; set; } = 55430;
    public int AmqpPort { get; set; } = 56710;
    public int RabbitDistPort { get; set; } = 25670;
    public int EpmdPort { get; set; } = 4370;
    public string RabbitNode { get; set; } = "morfx-apphost@localhost";
    public string StateDirectory { get; set; } = "";

    /// <summary>
    /// fsync, synchronous_commit and full_page_writes on (the default): what the system's "nothing lost" claims and the
    /// benchmark's figures rest on. false only for servers that are thrown away (the end-to-end tests' AppHost).
    /// </summary>
    public bool PostgresDurable { get; set; } = true;

    public static LocalServerSettings From(IConfiguration configuration, string defaultStateDirectory)
    {
        var settings = configuration.GetSection("LocalServers").Get<LocalServerSettings>() ?? new LocalServerSettings();
        if (string.IsNullOrEmpty(settings.StateDirectory)) settings.StateDirectory = defaultStateDirectory;
        return settings;
    }
}
