using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MorfX.Contracts;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.OptOuts;
using MorfX.SmsSender.Sending;
using Npgsql;
using NUnit.Framework;
using static MorfX.SmsSender.Tests.SmsSenderFixture;

namespace MorfX.SmsSender.Tests;

/// <summary>
/// The two writes of every send are shared by the requests that reach them together (<see cref="SmsWrites"/>): one statement
/// and one commit for many, yet each request keeps its own outcome, and one request's bad data fails only that request.
/// These writes wait 300 ms for each other, so everything handed in at once shares a statement; rows inserted by one statement
/// have one lease end (the database's now() of that transaction), which shows what was shared.
/// </summary>
public class SharedWritesTests
{
    static readonly TimeSpan Together = TimeSpan.FromMilliseconds(300);

    [Test]
    public async Task Requests_recorded_together_share_one_statement_and_each_gets_its_own_outcome()
    {
        await using var writes = Writes();
        var workspace = Guid.NewGuid();
        var rows = Enumerable.Range(0, 10).Select(i => Row(workspace, $"Pedido {i} en camino")).ToList();
        await OptOutAsync(workspace, rows[3].ToNumber);
        var recordedBefore = Row(workspace, "Pedido ya registrado");
        Assert.That((await RecordAsync(writes, recordedBefore))?.Skip, Is.Null);
        var stopped = Guid.NewGuid();
        rows[5].AutomationId = rows[6].AutomationId = stopped;
        await StopAsync(workspace, stopped, Requested);

        var outcomes = await Task.WhenAll([.. rows.Select(r => RecordAsync(writes, r, r == rows[6] ? Requested.AddSeconds(1) : Requested)),
            RecordAsync(writes, Again(rows[0])), RecordAsync(writes, Again(recordedBefore))]);

        Assert.That(outcomes[..10].Select(o => o?.Skip), Is.EqualTo(rows.Select((_, i) => i switch
        {
            3 => SmsSkipped.RecipientOptedOut,
            5 => SmsSkipped.AutomationDisabled,
            _ => null,
        })), "each new request recorded; only the opted-out recipient and the request from before its automation's stop say so");
        Assert.That(outcomes[10], Is.Null, "the same request a second time in the statement was recorded by the first");
        Assert.That(outcomes[11], Is.Null, "a request recorded before is not recorded again");
        var stored = await RowsAsync(rows);
        Assert.That(stored.Select(r => r.Status), Is.All.EqualTo("sending"));
        Assert.That(stored.Select(r => r.SendFence), Is.All.EqualTo(1));
        Assert.That(stored.Select(r => r.SendLeaseUntil).Distinct().Count(), Is.EqualTo(1), "the ten rows were written by one statement");
    }

    [Test]
    public async Task A_request_whose_data_the_database_refuses_fails_alone()
    {
        await using var writes = Writes();
        var workspace = Guid.NewGuid();
        var good = Enumerable.Range(0, 5).Select(i => Row(workspace, $"Pedido {i} en camino")).ToList();
        var bad = Row(workspace, "Pedido con un byte nulo \0 en el texto");

        var recording = good.Select(r => RecordAsync(writes, r)).ToList();
        var refused = RecordAsync(writes, bad);

        Assert.That((await Task.WhenAll(recording)).Select(r => r?.Skip), Is.All.Null, "the others were recorded");
        var error = Assert.ThrowsAsync<PostgresException>(() => refused)!;
        Assert.That(error.SqlState, Does.StartWith("22"), "the database's own data error, for the consumer to report");
        Assert.That(await RowsAsync(good), Has.Count.EqualTo(5));
        Assert.That(await RowsAsync([bad]), Is.Empty);
    }

    [Test]
    public async Task Sids_written_together_each_need_their_own_fence_and_an_unused_sid()
    {
        await using var writes = Writes();
        var workspace = Guid.NewGuid();
        var (sent, fencedOut, duplicate, other) = (Row(workspace, "A"), Row(workspace, "B"), Row(workspace, "C"), Row(workspace, "D"));
        foreach (var row in new[] { sent, fencedOut, duplicate, other }) await RecordAsync(writes, row);
        var takenSid = Sid();
        Assert.That(await writes.MarkSentAsync(Mark(other, 1, takenSid)), Is.Not.Null);

        var newSid = Sid();
        var marking = writes.MarkSentAsync(Mark(sent, 1, newSid));
        var losing = writes.MarkSentAsync(Mark(fencedOut, 2, Sid()));
        var clashing = writes.MarkSentAsync(Mark(duplicate, 1, takenSid));

        var written = await marking;
        Assert.That(written?.MessageSid, Is.EqualTo(newSid));
        Assert.That(written!.Status, Is.EqualTo("queued"));
        Assert.That(written.SendLeaseUntil, Is.Null);
        Assert.That(await losing, Is.Null, "an attempt whose fence was taken over writes nothing");
        Assert.That(Assert.ThrowsAsync<PostgresException>(() => clashing)!.SqlState, Is.EqualTo(PostgresErrorCodes.UniqueViolation));
        var stored = (await RowsAsync([sent, fencedOut, duplicate])).ToDictionary(r => r.RequestId);
        Assert.That(stored[sent.RequestId].MessageSid, Is.EqualTo(newSid));
        Assert.That(stored[fencedOut.RequestId].MessageSid, Is.Null);
        Assert.That(stored[duplicate.RequestId].MessageSid, Is.Null);
    }

    static readonly DateTimeOffset Requested = DateTimeOffset.UtcNow.AddMinutes(-1);

    static Task<SmsWrites.Recorded?> RecordAsync(SmsWrites writes, SmsMessage row, DateTimeOffset? requestedAt = null) =>
        writes.RecordAsync(row, requestedAt ?? Requested, CancellationToken.None);

    static async Task StopAsync(Guid workspace, Guid automationId, DateTimeOffset stoppedAt)
    {
        using var scope = SmsSenderHost.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        db.AutomationStops.Add(new AutomationStop { AutomationId = automationId, WorkspaceId = workspace, StoppedAt = stoppedAt.AddMilliseconds(500) });
        await db.SaveChangesAsync();
    }

    static SmsWrites Writes() => new(SmsSenderHost.Services.GetRequiredService<IServiceScopeFactory>(),
        SmsSenderHost.Services.GetRequiredService<IOptions<SendingOptions>>(), Together);

    static SmsMessage Row(Guid workspace, string body) => new()
    {
        RequestId = Guid.NewGuid(), WorkspaceId = workspace, AccountSid = "AC" + Guid.NewGuid().ToString("N"), ToNumber = Phone(),
        FromNumber = "+15005550006", Body = body, MediaUrls = ["https://cdn.example.com/pedido.jpg"], Segments = 1, Encoding = "GSM-7",
        Status = "sending", OriginKind = SmsOrigin.Automation, AutomationId = Guid.NewGuid(), CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow, SendFence = 1,
    };

    /// <summary>Another delivery of the same request.</summary>
    static SmsMessage Again(SmsMessage row)
    {
        var again = Row(row.WorkspaceId, row.Body);
        again.RequestId = row.RequestId;
        again.ToNumber = row.ToNumber;
        return again;
    }

    static SentMark Mark(SmsMessage row, long fence, string sid) => new(row.RequestId, fence, sid, row.AccountSid!, "queued", false, TimeSpan.FromMinutes(1));

    static string Sid() => "SM" + Guid.NewGuid().ToString("N");

    static async Task OptOutAsync(Guid workspace, string phone)
    {
        using var scope = SmsSenderHost.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<OptOutRegistry>().SetAsync(workspace, phone, optedOut: true, OptOutRegistry.FromInboundMessage, DateTimeOffset.UtcNow, CancellationToken.None);
    }

    static async Task<List<SmsMessage>> RowsAsync(IEnumerable<SmsMessage> rows)
    {
        var ids = rows.Select(r => r.RequestId).ToList();
        using var scope = SmsSenderHost.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        return await db.Messages.AsNoTracking().Where(m => ids.Contains(m.RequestId)).ToListAsync();
    }
}
