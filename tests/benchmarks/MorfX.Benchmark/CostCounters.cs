using System.Diagnostics;
using System.Globalization;

/// <summary>
/// What the system spent, read from the servers' own counters so the per-order accounting is measured, not estimated:
/// PostgreSQL's committed transactions per database (pg_stat_database.xact_commit) and statements executed
/// (pg_stat_statements.calls, when the server preloads it), and the messages RabbitMQ received from publishers and
/// delivered to consumers (rabbit_global_counters). Counters only grow: a run's cost is the difference of two snapshots.
/// </summary>
sealed record CostCounters(Dictionary<string, long> Commits, Dictionary<string, long> Statements, long Published, long Delivered)
{
    // The checkout this benchmark was built in (tests/benchmarks/MorfX.Benchmark/bin/Release/net10.0/).
    static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../.."));

    /// <summary>The AppHost's servers (ports from the options; node and state as in MorfX.AppHost/LocalServers/LocalServerSettings.cs).</summary>
    public static async Task<CostCounters?> TakeAsync(Options options)
    {
        var port = options.PostgresPort.ToString(CultureInfo.InvariantCulture);
        // The view lives in the database that created the extension; the server must also preload it (postgres.sh does).
        await QueryAsync(port, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        var commits = await QueryAsync(port, "SELECT datname, xact_commit FROM pg_stat_database WHERE datname LIKE 'morfx_%'");
        var statements = await QueryAsync(port, """
            SELECT d.datname, sum(s.calls)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname LIKE 'morfx_%' GROUP BY d.datname
            """);
        var broker = await RabbitCountersAsync(options.AmqpPort.ToString(CultureInfo.InvariantCulture));
        if (commits is null || broker is null) return null;
        return new(commits, statements ?? [], broker.Value.Published, broker.Value.Delivered);
    }

    /// <summary>Per order between two snapshots: each database's commits and statements, and the broker's messages.</summary>
    public static CostPerOrder PerOrder(CostCounters before, CostCounters after, int orders)
    {
        double Per(long value) => Math.Round((double)value / Math.Max(1, orders), 2);
        Dictionary<string, double> Diff(Dictionary<string, long> a, Dictionary<string, long> b) =>
            b.ToDictionary(kv => kv.Key.Replace("morfx_", ""), kv => Per(kv.Value - a.GetValueOrDefault(kv.Key)));
        var commits = Diff(before.Commits, after.Commits);
        var statements = Diff(before.Statements, after.Statements);
        return new(orders, commits, Math.Round(commits.Values.Sum(), 2), statements, Math.Round(statements.Values.Sum(), 2),
            Per(after.Published - before.Published), Per(after.Delivered - before.Delivered));
    }

    /// <summary>Two-column rows (name, count), over the same connection DatabaseSettings uses; null when the query fails.</summary>
    static async Task<Dictionary<string, long>?> QueryAsync(string port, string sql)
    {
        try
        {
            await using var connection = await DatabaseSettings.OpenAsync(int.Parse(port, CultureInfo.InvariantCulture));
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new Dictionary<string, long>();
            while (await reader.ReadAsync())
                if (reader.FieldCount == 2 && !reader.IsDBNull(1)) rows[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            return rows;
        }
        catch (Npgsql.NpgsqlException) { return null; }
    }

    static async Task<(long Published, long Delivered)?> RabbitCountersAsync(string amqp)
    {
        const string Eval = """
            C = rabbit_global_counters:overview(),
            P = maps:get(messages_received_total, maps:get([{protocol, amqp091}], C)),
            D = maps:get(messages_delivered_total, maps:get([{protocol, amqp091}, {queue_type, rabbit_classic_queue}], C)),
            io:format("~p ~p~n", [P, D]).
            """;
        var state = Environment.GetEnvironmentVariable("MORFX_STATE") ?? Path.Combine(Root, ".morfx");
        var output = await RunAsync(Path.Combine(Root, "MorfX.AppHost/LocalServers/scripts/rabbitmqctl.sh"), ["-q", "eval", Eval], new()
        {
            ["AMQP_PORT"] = amqp, ["RABBIT_NODE"] = "morfx-apphost@localhost", ["RABBIT_DIST_PORT"] = "25670", ["ERL_EPMD_PORT"] = "4370",
            ["RABBIT_STATE"] = Path.Combine(state, $"rabbitmq-{amqp}"),
        });
        var numbers = output?.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return numbers is { Length: >= 2 } && long.TryParse(numbers[0], out var published) && long.TryParse(numbers[1], out var delivered)
            ? (published, delivered) : null;
    }

    static async Task<string?> RunAsync(string file, string[] args, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? []) start.Environment[key] = value;
        try
        {
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}

/// <summary>One rate's cost per order, from start until every message was priced (so pricing is counted too).</summary>
sealed record CostPerOrder(int Orders, Dictionary<string, double> DatabaseCommits, double TotalCommits,
    Dictionary<string, double> DatabaseStatements, double TotalStatements, double BrokerMessagesPublished, double BrokerMessagesDelivered)
{
    public string Summary() => FormattableString.Invariant(
        $"per order: {TotalCommits:F1} commits, {TotalStatements:F1} statements, {BrokerMessagesPublished:F1} broker messages published, {BrokerMessagesDelivered:F1} delivered")
        + (DatabaseStatements.Count == 0 ? " (statements need pg_stat_statements preloaded)" : "");
}
