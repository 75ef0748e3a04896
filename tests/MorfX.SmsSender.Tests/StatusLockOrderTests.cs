using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Sending;
using MorfX.Testing;
using Npgsql;
using NUnit.Framework;
using static MorfX.SmsSender.Tests.SmsSenderFixture;

namespace MorfX.SmsSender.Tests;

/// <summary>
/// Two status batches that update the same messages must lock them in one order, or each can hold a row the other waits for:
/// a PostgreSQL deadlock (a 1 s stall, an Error and a retry; a benchmark run on a new database had one in smsdb). The update's
/// order must not depend on its plan: one that scans the table and hashes the batch locks rows in the table's order.
/// </summary>
public class StatusLockOrderTests
{
    [Test]
    public async Task A_status_update_locks_its_rows_in_request_order_whatever_plan_the_database_picks()
    {
        var workspace = Guid.NewGuid();
        // Highest request id first, so a scan in the table's order meets it before the others.
        var ids = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()).OrderDescending().ToList();
        await using var setup = await OpenAsync();
        // A table much larger than the batch, and its statistics: the batch is then what gets hashed, the table what gets scanned.
        await ExecuteAsync(setup, """
            INSERT INTO sms_messages (request_id, workspace_id, to_number, body, media_urls, segments, encoding, status, state, origin_kind,
                                      created_at, updated_at, price_checks)
            SELECT gen_random_uuid(), gen_random_uuid(), '+15550000001', 'Otro pedido', ARRAY[]::text[], 1, 'GSM-7', 'delivered', 'settled', @origin,
                   now(), now(), 0
            FROM generate_series(1, 3000)
            """, ("origin", SmsOrigin.Automation));
        await ExecuteAsync(setup, """
            INSERT INTO sms_messages (request_id, workspace_id, to_number, body, media_urls, segments, encoding, status, state, origin_kind,
                                      created_at, updated_at, price_checks)
            SELECT id, @workspace, '+15550000000', 'Pedido en camino', ARRAY[]::text[], 1, 'GSM-7', 'sent', 'sent', @origin, now(), now(), 0
            FROM unnest(@ids) WITH ORDINALITY AS i(id, n) ORDER BY n
            """, ("workspace", workspace), ("origin", SmsOrigin.Automation), ("ids", ids.ToArray()));
        await ExecuteAsync(setup, "ANALYZE sms_messages");

        // Another transaction holds the highest row, as a concurrent batch would.
        await using var holder = await OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await ExecuteAsync(holder, "SELECT 1 FROM sms_messages WHERE request_id = @id FOR UPDATE", ("id", ids[0]));

        using var scope = SmsSenderHost.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        await db.Database.OpenConnectionAsync();
        Task<HashSet<Guid>>? update = null;
        try
        {
            // A plan PostgreSQL may pick by its statistics: the table scanned, the batch hashed.
            await db.Database.ExecuteSqlRawAsync("SET enable_nestloop = off; SET enable_mergejoin = off");
            update = SmsStatusUpdate.ApplyAsync(db, [.. ids.Select(id => new StatusChange(id, "delivered", null))],
                TimeSpan.FromMinutes(1), new DeliveryRetryOptions(), CancellationToken.None);

            await Eventually.Get(() => BlockedByAsync(setup, holder.ProcessID), blocked => blocked > 0, TimeSpan.FromSeconds(10),
                "the update waits for the held row");
            var free = await FreeAsync(setup, ids.Skip(1).ToArray());
            await hold.CommitAsync();
            var applied = await update;

            // Waiting for the highest row, it already held every lower one: none was left for a second batch to take first.
            Assert.That(free, Is.EqualTo(0), "rows below the held one that the update had not locked yet");
            Assert.That(applied, Has.Count.EqualTo(ids.Count), "every message moved to delivered once the row was free");
        }
        finally
        {
            // When an assertion failed mid-wait the update still waits for the held row: free it, let it end, then reset.
            await hold.DisposeAsync();
            if (update is not null) await update.ContinueWith(_ => { }, TaskScheduler.Default);
            await db.Database.ExecuteSqlRawAsync("RESET enable_nestloop; RESET enable_mergejoin");
            await db.Database.CloseConnectionAsync();
        }
    }

    static async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(TestInfrastructure.DatabaseConnectionString(ResourceNames.SmsDb));
        await connection.OpenAsync();
        return connection;
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>How many sessions wait for a lock that the session <paramref name="holderPid"/> holds.</summary>
    static async Task<long> BlockedByAsync(NpgsqlConnection connection, int holderPid)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE @holder = ANY (pg_blocking_pids(pid))", connection);
        command.Parameters.AddWithValue("holder", holderPid);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>How many of these rows nobody holds: locked here and released at once.</summary>
    static async Task<long> FreeAsync(NpgsqlConnection connection, Guid[] ids)
    {
        await using var probe = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM (SELECT 1 FROM sms_messages WHERE request_id = ANY (@ids) FOR UPDATE SKIP LOCKED) AS free", connection, probe);
        command.Parameters.AddWithValue("ids", ids);
        var free = (long)(await command.ExecuteScalarAsync())!;
        await probe.RollbackAsync();
        return free;
    }
}
