using System.Diagnostics;
using System.Net.Sockets;
using MorfX.ServiceDefaults;
using Npgsql;

namespace MorfX.Testing;

/// <summary>
/// The real PostgreSQL and RabbitMQ the tests talk to. When they are not reachable they are started with
/// deploy/local/infra.sh (which installs them from the OS packages when missing). Each test run gets its own
/// databases (morfx_t{run}_{name}) and its own RabbitMQ virtual host, on which each service logs in as its own user with
/// production's permissions; all removed again by <see cref="CleanUpAsync"/>.
/// MORFX_PG_PORT / MORFX_AMQP_PORT point the tests at other local ports.
/// </summary>
public static class TestInfrastructure
{
    public static readonly string RunId = $"{DateTime.UtcNow:MMddHHmmss}{Random.Shared.Next(1000, 9999)}";
    public static int PostgresPort { get; } = int.TryParse(Environment.GetEnvironmentVariable("MORFX_PG_PORT"), out var p) ? p : 55432;
    public static int AmqpPort { get; } = int.TryParse(Environment.GetEnvironmentVariable("MORFX_AMQP_PORT"), out var a) ? a : 56720;
    public static string VirtualHost => $"morfx-t{RunId}";
    public const string SigningKey = "morfx-tests-signing-key-0123456789abcdef";
    public const string InternalKey = "morfx-tests-internal-key";
    /// <summary>Redaction:HashKey: base64 of 32 bytes.</summary>
    public const string RedactionHashKey = "bW9yZngtdGVzdHMtcmVkYWN0aW9uLWhhc2gta2V5ISE=";

    static readonly SemaphoreSlim Gate = new(1, 1);
    static readonly HashSet<string> CreatedDatabases = [];
    static bool _ready;

    public static string RepoRoot { get; } = FindRepoRoot();

    static string InfraScript => Path.Combine(RepoRoot, "deploy/local/infra.sh");

    public static async Task EnsureReadyAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_ready) return;
            if (!PortOpen(PostgresPort) || !PortOpen(AmqpPort))
                await RunAsync(InfraScript, "start");
            await RunAsync(InfraScript, $"ctl add_vhost {VirtualHost}");
            await RunAsync(InfraScript, $"ctl set_permissions -p {VirtualHost} guest .* .* .*");
            await CreateServiceUsersAsync();
            _ready = true;
        }
        finally { Gate.Release(); }
    }

    /// <summary>A connection string to this run's database for the given name (created by the service's migrator).</summary>
    public static string DatabaseConnectionString(string name)
    {
        var database = $"morfx_t{RunId}_{name}";
        lock (CreatedDatabases) CreatedDatabases.Add(database);
        return $"Host=127.0.0.1;Port={PostgresPort};Username=postgres;Password=postgres;Database={database};Maximum Pool Size=30";
    }

    /// <summary>The administrator's address of this run's vhost: for observers and tools, never for a service under test.</summary>
    public static string AmqpUri => $"amqp://guest:guest@127.0.0.1:{AmqpPort}/{VirtualHost}";

    /// <summary>This run's broker user for the service, with the permissions production gives it (deploy/resources.json).</summary>
    static string BrokerUser(MappedResource service) => $"morfx-t{RunId}-{service.Name}";

    const string BrokerPassword = "morfx-tests-broker";

    /// <summary>
    /// Each service's own user on this run's vhost (one rabbitmqctl import, <see cref="RabbitMqDefinitions"/>), as the AppHost
    /// and Kubernetes make them: every suite's services publish and consume under production's permissions.
    /// </summary>
    static async Task CreateServiceUsersAsync()
    {
        var users = ResourceMap.Current.Services.Select(s => (User: BrokerUser(s), Permissions: BrokerPermissions.For(s))).ToList();
        var file = Path.Combine(Path.GetTempPath(), $"morfx-t{RunId}-users.json");
        await File.WriteAllTextAsync(file, RabbitMqDefinitions.Json(VirtualHost, users.Select(u => (u.User, BrokerPassword, u.Permissions))));
        await RunAsync(InfraScript, $"ctl import_definitions {file}");
        for (var deadline = DateTime.UtcNow.AddSeconds(30);
             !RabbitMqDefinitions.AllGranted(await RunAsync(InfraScript, $"ctl -q list_permissions -p {VirtualHost}"), users);
             await Task.Delay(200))
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException("the services' broker users were not imported within 30 s");
        File.Delete(file);
    }

    /// <summary>How long the database-outage tests stop PostgreSQL: past a message's quick retries under <see cref="ServiceSettings"/>.</summary>
    public static readonly TimeSpan DatabaseOutage = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The settings every service needs in tests: its database, the bus as the service's own user (found by its database in the
    /// resource map), the signing and internal keys.
    /// </summary>
    public static Dictionary<string, string?> ServiceSettings(string databaseName) => new()
    {
        [$"ConnectionStrings:{databaseName}"] = DatabaseConnectionString(databaseName),
        [$"ConnectionStrings:{ResourceNames.Messaging}"] =
            $"amqp://{BrokerUser(ResourceMap.Current.Services.Single(s => s.Database == databaseName))}:{BrokerPassword}@127.0.0.1:{AmqpPort}/{VirtualHost}",
        ["Auth:SigningKey"] = SigningKey,
        ["Internal:ServiceKey"] = InternalKey,
        ["Redaction:HashKey"] = RedactionHashKey,
        // A message's quick retries then last about 20 s against a stopped database, so a DatabaseOutage outlasts them as a
        // longer one outlasts production's 5 retries (about 70 s): the outer policy (decision 0032) is what it tests.
        ["Database:TransientRetries"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:MorfX"] = "Information",
    };

    public static async Task CleanUpAsync()
    {
        string[] databases;
        lock (CreatedDatabases) databases = [.. CreatedDatabases];
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={PostgresPort};Username=postgres;Password=postgres;Database=postgres;Pooling=false");
        await connection.OpenAsync();
        foreach (var database in databases)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        lock (CreatedDatabases) CreatedDatabases.ExceptWith(databases);
        // A second set-up fixture in the same run (another namespace) starts from a fresh vhost again.
        if (_ready)
        {
            await RunAsync(InfraScript, $"ctl delete_vhost {VirtualHost}");
            await Task.WhenAll(ResourceMap.Current.Services.Select(s => RunAsync(InfraScript, $"ctl delete_user {BrokerUser(s)}")));
        }
        _ready = false;
    }

    /// <summary>
    /// The messages waiting in this run's <c>*_error</c> queues (MassTransit's poison queues), by queue name: what a
    /// person would have to replay by hand.
    /// </summary>
    public static async Task<Dictionary<string, int>> ErrorQueueMessagesAsync() =>
        ErrorQueues(await RunAsync(InfraScript, $"ctl -q list_queues -p {VirtualHost} name messages"));

    /// <summary>The <c>*_error</c> queues and their message counts in the output of <c>rabbitmqctl -q list_queues name messages</c>.</summary>
    public static Dictionary<string, int> ErrorQueues(string listing) =>
        listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t', ' '))
            .Where(parts => parts.Length >= 2 && parts[0].EndsWith("_error", StringComparison.Ordinal) && int.TryParse(parts[^1], out _))
            .ToDictionary(parts => parts[0], parts => int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Stops this run's PostgreSQL: every service's database is unreachable (connections refused) until <see cref="StartPostgresAsync"/>.</summary>
    public static Task StopPostgresAsync() => RunAsync(InfraScript, "stop-postgres");

    /// <summary>Starts this run's PostgreSQL again, on the same port and data.</summary>
    public static Task StartPostgresAsync() => RunAsync(InfraScript, "start-postgres");

    /// <summary>A free local port, for services that must know each other's addresses before they start.</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static bool PortOpen(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException) { return false; }
    }

    /// <summary>Runs a repo script and fails with its output when it fails.</summary>
    public static async Task<string> RunAsync(string script, string arguments)
    {
        var psi = new ProcessStartInfo("bash", $"\"{script}\" {arguments}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} {arguments} failed ({process.ExitCode}): {await stdout}{await stderr}");
        return await stdout;
    }

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MorfX.sln"))) return dir.FullName;
        throw new InvalidOperationException("MorfX.sln not found above " + AppContext.BaseDirectory);
    }
}
