using MorfX.Rules;
using MorfX.UsageApi.Data;
using Npgsql;
using NpgsqlTypes;

namespace MorfX.UsageApi.Benchmark;

/// <summary>
/// A year of SMS traffic for many workspaces, written with binary COPY in time order (as production inserts
/// arrive). Workspace sizes follow a Zipf law, so the first workspace is the busy one (about a fifth of all
/// traffic); most messages come from an automation, a few fail, and the last two days still await prices.
/// </summary>
public sealed class UsageDataGenerator(int rows, int workspaces, DateTimeOffset now, int seed = 42)
{
    static readonly string[] Bodies =
    [
        "Hola {0}, tu pedido #{1} fue confirmado. Gracias por comprar con nosotros.",
        "Hola {0}, tu pedido #{1} va en camino. Rastrea tu envio en https://tienda.example/seguimiento/{1}",
        "¡{0}, tu pedido #{1} fue entregado! ¿Nos cuentas como te fue? Responde a este mensaje.",
        "Recordatorio: tienes un carrito pendiente, {0}. Usa el codigo VUELVE10 para un 10% de descuento en tu compra de hoy antes de medianoche.",
        "Tu codigo de verificacion es {1}",
    ];

    public Guid[] WorkspaceIds { get; } = Enumerable.Range(0, workspaces).Select(i => new Guid($"00000000-0000-0000-0000-{i + 1:D12}")).ToArray();

    public Guid BusyWorkspace => WorkspaceIds[0];

    public async Task<long> LoadAsync(NpgsqlConnection connection)
    {
        var random = new Random(seed);
        var automations = WorkspaceIds.Select(_ => Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToArray()).ToArray();
        var cumulative = ZipfCumulative(workspaces);
        var start = now.AddDays(-365);
        var step = TimeSpan.FromDays(365).Ticks / rows;

        await using var writer = await connection.BeginBinaryImportAsync("""
            COPY sms_usage (request_id, workspace_id, automation_id, message_sid, to_number, body, status, status_rank,
                            segments, cost, price_unit, sent_at, updated_at) FROM STDIN (FORMAT BINARY)
            """);
        for (var i = 0; i < rows; i++)
        {
            var sentAt = start.AddTicks(i * step + random.NextInt64(step));
            var w = Array.BinarySearch(cumulative, random.NextDouble());
            w = w < 0 ? Math.Min(~w, workspaces - 1) : w;
            var roll = random.NextDouble();
            var status = roll < 0.02 ? "failed" : roll < 0.05 ? "undelivered" : roll < 0.06 ? "sent" : "delivered";
            var segments = random.NextDouble() < 0.7 ? 1 : random.Next(2, 5);
            var awaitingPrice = (now - sentAt < TimeSpan.FromDays(2) && random.NextDouble() < 0.2) || random.NextDouble() < 0.002;
            decimal? cost = status == "failed" || awaitingPrice ? null : segments * 0.0079m;
            var requestId = Guid.CreateVersion7(sentAt);

            await writer.StartRowAsync();
            await writer.WriteAsync(requestId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(WorkspaceIds[w], NpgsqlDbType.Uuid);
            if (random.NextDouble() < 0.85) await writer.WriteAsync(automations[w][random.Next(10)], NpgsqlDbType.Uuid);
            else await writer.WriteNullAsync();
            await writer.WriteAsync("SM" + requestId.ToString("N"), NpgsqlDbType.Text);
            await writer.WriteAsync($"+57300{random.Next(1_000_000, 9_999_999)}", NpgsqlDbType.Text);
            await writer.WriteAsync(string.Format(Bodies[random.Next(Bodies.Length)], "Maria", 1000 + i % 90_000), NpgsqlDbType.Text);
            await writer.WriteAsync(status, NpgsqlDbType.Text);
            await writer.WriteAsync(SmsStatuses.Rank(status), NpgsqlDbType.Integer);
            await writer.WriteAsync(segments, NpgsqlDbType.Integer);
            if (cost is { } c) await writer.WriteAsync(c, NpgsqlDbType.Numeric);
            else await writer.WriteNullAsync();
            await writer.WriteAsync("USD", NpgsqlDbType.Text);
            await writer.WriteAsync(sentAt, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(sentAt.AddMinutes(3), NpgsqlDbType.TimestampTz);
        }
        return (long)await writer.CompleteAsync();
    }

    static double[] ZipfCumulative(int n)
    {
        var weights = Enumerable.Range(1, n).Select(k => 1.0 / k).ToArray();
        var total = weights.Sum();
        var cumulative = new double[n];
        var running = 0.0;
        for (var i = 0; i < n; i++) cumulative[i] = running += weights[i] / total;
        return cumulative;
    }
}
