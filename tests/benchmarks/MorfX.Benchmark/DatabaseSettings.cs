using Npgsql;

/// <summary>
/// What the measured PostgreSQL really runs with: the settings a "nothing lost" figure rests on, and how much the services'
/// databases already hold (runs over a few hundred thousand stored orders were slower than runs over a new database).
/// </summary>
sealed record DatabaseSettings(int Port, string Fsync, string SynchronousCommit, string FullPageWrites, long StoredMegabytes)
{
    public bool Durable => Fsync == "on" && SynchronousCommit is not ("off" or "local") && FullPageWrites == "on";

    public string Summary() => $"PostgreSQL on {Port}: fsync={Fsync}, synchronous_commit={SynchronousCommit}, full_page_writes={FullPageWrites}"
        + $", {StoredMegabytes} MiB already stored in the services' databases"
        + (Durable ? " (durable)" : " (NOT durable: these figures make no durability claim)");

    /// <summary>The AppHost's PostgreSQL as its superuser, for reading settings and statistics.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(int port)
    {
        var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres;Database=postgres;Pooling=false;Timeout=5");
        await connection.OpenAsync();
        return connection;
    }

    public static async Task<DatabaseSettings> ReadAsync(int port)
    {
        await using var connection = await OpenAsync(port);
        async Task<string> Show(string setting)
        {
            await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
            return (string)(await command.ExecuteScalarAsync())!;
        }
        await using var size = new NpgsqlCommand(
            "SELECT coalesce(sum(pg_database_size(datname)), 0) / 1048576 FROM pg_database WHERE datname LIKE 'morfx\\_%'", connection);
        var stored = Convert.ToInt64(await size.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        return new DatabaseSettings(port, await Show("fsync"), await Show("synchronous_commit"), await Show("full_page_writes"), stored);
    }
}
