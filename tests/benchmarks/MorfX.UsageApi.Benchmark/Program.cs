// Bulk-loads >= 1 million SMS usage rows over a year for ~50 workspaces into a fresh database (after applying
// usage-api's own migrations), then times the queries behind each usage endpoint for the busiest workspace
// with SmsUsageQuery, the class the API uses, and prints EXPLAIN ANALYZE of the slowest. The database is
// dropped at the end unless --keep is given.
//
//   dotnet run --project tests/benchmarks/MorfX.UsageApi.Benchmark -- [database] [--rows 1000000] [--workspaces 50] [--runs 20] [--keep]
//   (database also from MORFX_BENCH_DB; server 127.0.0.1:MORFX_PG_PORT (55432), user postgres)
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using MorfX.Data;
using MorfX.UsageApi;
using MorfX.UsageApi.Apis;
using MorfX.UsageApi.Benchmark;
using MorfX.UsageApi.Data;
using MorfX.UsageApi.Queries;
using Npgsql;

string[] valued = ["--rows", "--workspaces", "--runs"];
var database = args.Where((a, i) => !a.StartsWith("--") && (i == 0 || !valued.Contains(args[i - 1]))).FirstOrDefault()
    ?? Environment.GetEnvironmentVariable("MORFX_BENCH_DB") ?? "morfx_usage_benchmark";
var rows = Option("--rows", 1_000_000);
var workspaces = Option("--workspaces", 50);
var runs = Option("--runs", 20);
var keep = args.Contains("--keep");
var port = Environment.GetEnvironmentVariable("MORFX_PG_PORT") ?? "55432";
var server = $"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres";
var connectionString = $"{server};Database={database}";
var now = DateTimeOffset.UtcNow;

Console.WriteLine($"Database {database}: {rows:N0} messages over 365 days for {workspaces} workspaces");
await DropDatabaseAsync();
try
{
    await new SchemaMigrator(connectionString, typeof(MorfX.UsageApi.Program).Assembly, NullLogger<SchemaMigrator>.Instance).StartAsync(CancellationToken.None);

    var generator = new UsageDataGenerator(rows, workspaces, now);
    var clock = Stopwatch.StartNew();
    await using (var connection = new NpgsqlConnection(connectionString))
    {
        await connection.OpenAsync();
        var loaded = await generator.LoadAsync(connection);
        Console.WriteLine($"Loaded {loaded:N0} rows with binary COPY in {clock.Elapsed.TotalSeconds:F1} s");
        clock.Restart();
        // Index-only scans need the visibility map, which autovacuum keeps up in production. A VACUUM right after
        // the COPY can leave pages not all-visible while another snapshot is still open, so repeat until it sticks.
        var visible = "0";
        for (var attempt = 0; attempt < 5 && visible != "100"; attempt++)
        {
            if (attempt > 0) await Task.Delay(TimeSpan.FromSeconds(2));
            await Execute(connection, "VACUUM (ANALYZE) sms_usage");
            visible = await Scalar(connection,
                "SELECT (100 * relallvisible / greatest(relpages, 1))::text FROM pg_class WHERE relname = 'sms_usage'");
        }
        Console.WriteLine($"VACUUM ANALYZE in {clock.Elapsed.TotalSeconds:F1} s ({visible}% of pages all-visible)");
        Console.WriteLine(await Scalar(connection, """
            SELECT 'table ' || pg_size_pretty(pg_table_size('sms_usage')) || ', index ix_sms_usage_workspace_id_sent_at '
                   || pg_size_pretty(pg_relation_size('ix_sms_usage_workspace_id_sent_at'))
                   || ', primary key ' || pg_size_pretty(pg_relation_size('sms_usage_pkey'))
            """));
        Console.WriteLine(await Scalar(connection, $"""
            SELECT 'busy workspace: ' || count(*) || ' messages in the year, '
                   || count(*) FILTER (WHERE sent_at >= now() - interval '30 days') || ' in the last 30 days, '
                   || count(*) FILTER (WHERE sent_at >= now() - interval '1 day') || ' in the last day'
            FROM sms_usage WHERE workspace_id = '{generator.BusyWorkspace}'
            """));
    }

    var capture = new CommandCapture();
    var options = new DbContextOptionsBuilder<UsageDbContext>().UseNpgsql(connectionString).AddInterceptors(capture).Options;
    var ws = generator.BusyWorkspace;
    DateTimeOffset Ago(int days) => now.AddDays(-days);
    // The chart's window as the API computes it: whole calendar days in the zone, ending today.
    var bogota = TimeZoneInfo.FindSystemTimeZoneById("America/Bogota");
    var today = UsageRanges.Today(now, bogota);
    DateTimeOffset ChartFrom(int days) => UsageRanges.StartOfDay(today.AddDays(1 - days), bogota);
    var chartTo = UsageRanges.StartOfDay(today.AddDays(1), bogota);

    // Each case is what one request runs (the summary endpoint runs the totals and the recent list).
    (string Name, Func<SmsUsageQuery, Task> Run)[] cases =
    [
        ("GET /api/usage/sms?period=day", async q => { await q.TotalsAsync(ws, Ago(1), now, default); await q.RecentAsync(ws, Ago(1), now, default); }),
        ("GET /api/usage/sms?period=week", async q => { await q.TotalsAsync(ws, Ago(7), now, default); await q.RecentAsync(ws, Ago(7), now, default); }),
        ("GET /api/usage/sms?period=month", async q => { await q.TotalsAsync(ws, Ago(30), now, default); await q.RecentAsync(ws, Ago(30), now, default); }),
        ("GET /api/usage/sms/chart?period=week&tz=America/Bogota", q => q.DailyAsync(ws, ChartFrom(7), chartTo, bogota.Id, default)),
        ("GET /api/usage/sms/chart?period=month&tz=America/Bogota", q => q.DailyAsync(ws, ChartFrom(30), chartTo, bogota.Id, default)),
        ("GET /api/usage/sms/by-automation?period=day", q => q.ByAutomationAsync(ws, Ago(1), now, default)),
        ("GET /api/usage/sms/by-automation?period=week", q => q.ByAutomationAsync(ws, Ago(7), now, default)),
        ("GET /api/usage/sms/by-automation?period=month", q => q.ByAutomationAsync(ws, Ago(30), now, default)),
    ];

    Console.WriteLine();
    Console.WriteLine($"{"endpoint (busy workspace)",-58} {"p50 ms",8} {"p95 ms",8} {"max ms",8}   ({runs} runs after 3 warm-ups)");
    var results = new List<(string Name, double P50, double P95, Func<SmsUsageQuery, Task> Run)>();
    foreach (var (name, run) in cases)
    {
        var timings = new List<double>();
        for (var i = 0; i < runs + 3; i++)
        {
            await using var db = new UsageDbContext(options);
            var query = new SmsUsageQuery(db);
            var watch = Stopwatch.StartNew();
            await run(query);
            if (i >= 3) timings.Add(watch.Elapsed.TotalMilliseconds);
        }
        timings.Sort();
        var (p50, p95) = (Percentile(timings, 0.50), Percentile(timings, 0.95));
        results.Add((name, p50, p95, run));
        Console.WriteLine($"{name,-58} {p50,8:F2} {p95,8:F2} {timings[^1],8:F2}");
    }

    var slowest = results.MaxBy(r => r.P95);
    Console.WriteLine();
    Console.WriteLine($"EXPLAIN (ANALYZE, BUFFERS) of the slowest: {slowest.Name}");
    await using (var db = new UsageDbContext(options))
    {
        capture.Capturing = true;
        await slowest.Run(new SmsUsageQuery(db));
        capture.Capturing = false;
    }
    await using (var connection = new NpgsqlConnection(connectionString))
    {
        await connection.OpenAsync();
        foreach (var (sql, parameters) in capture.Commands)
        {
            Console.WriteLine();
            Console.WriteLine(sql);
            Console.WriteLine("--");
            await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql, connection);
            explain.Parameters.AddRange(parameters);
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync()) Console.WriteLine(reader.GetString(0));
        }
    }
}
finally
{
    if (keep) Console.WriteLine($"Kept database {database}.");
    else
    {
        await DropDatabaseAsync();
        Console.WriteLine($"Dropped database {database}.");
    }
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

async Task DropDatabaseAsync()
{
    NpgsqlConnection.ClearAllPools();
    await using var admin = new NpgsqlConnection($"{server};Database=postgres;Pooling=false");
    await admin.OpenAsync();
    await Execute(admin, $"DROP DATABASE IF EXISTS \"{database.Replace("\"", "\"\"")}\" WITH (FORCE)");
}

static async Task Execute(NpgsqlConnection connection, string sql)
{
    await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
    await cmd.ExecuteNonQueryAsync();
}

static async Task<string> Scalar(NpgsqlConnection connection, string sql)
{
    await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
    return (string)(await cmd.ExecuteScalarAsync())!;
}
