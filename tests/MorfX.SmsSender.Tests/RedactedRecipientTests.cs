using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.Contracts;
using MorfX.SmsSender.Data;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.SmsSender.Tests.SmsSenderFixture;

namespace MorfX.SmsSender.Tests;

/// <summary>
/// A Shopify customer erased by customers/redact (or shop/redact) gets no SMS that was still queued or parked for them: the
/// request is skipped with customer_redacted, as an opt-out is, and its row keeps neither the number nor the text.
/// </summary>
public class RedactedRecipientTests
{
    [Test]
    public async Task A_request_still_queued_for_a_redacted_customer_is_skipped_and_keeps_no_number_or_text()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        await RedactAsync(workspace.Id, to);
        var request = Request(workspace.Id, to, "Ana, tu pedido va en camino");

        await Events.Bus.Publish(request);

        var skipped = await Events.WaitForAsync<SmsSkipped>(e => e.RequestId == request.RequestId);
        Assert.That((skipped.Code, skipped.To), Is.EqualTo((SmsSkipped.CustomerRedacted, SmsRecipientsRedacted.ErasedNumber)));
        var row = (await RowAsync(request.RequestId))!;
        Assert.That((row.Status, row.ToNumber, row.Body), Is.EqualTo(("skipped", SmsRecipientsRedacted.ErasedNumber, "")));
        await Consistently(async () => (await Emulator.CreateCallsAsync(workspace.AccountSid)).Count == 0, "no Twilio call for a redacted customer");

        var other = Request(workspace.Id, Phone(), "Luis, tu pedido va en camino");
        await Events.Bus.Publish(other);
        await RowWhenAsync(other.RequestId, r => r.MessageSid is not null, "another customer of the workspace still gets theirs");
    }

    [Test]
    public async Task A_request_parked_by_an_outage_loses_the_customers_number_and_text_and_is_skipped_when_handed_back()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        var request = Request(workspace.Id, to, "Ana, tu pedido va en camino");
        await ParkAsync(request, TimeSpan.FromSeconds(3));

        await RedactAsync(workspace.Id, to);

        await Eventually.Get(() => ParkedMessageAsync(request.RequestId), m => m is null || !(m.Contains(to) || m.Contains("Ana")),
            because: "the parked request keeps neither number nor text");
        var skipped = await Events.WaitForAsync<SmsSkipped>(e => e.RequestId == request.RequestId, TimeSpan.FromSeconds(30));
        Assert.That(skipped.Code, Is.EqualTo(SmsSkipped.CustomerRedacted));
        Assert.That((await RowAsync(request.RequestId))!.ToNumber, Is.EqualTo(SmsRecipientsRedacted.ErasedNumber));
        Assert.That(await Emulator.CreateCallsAsync(workspace.AccountSid), Is.Empty);
    }

    [Test]
    public async Task A_tombstone_cannot_be_reversed_by_hashing_every_phone_number_without_the_key()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();

        await RedactAsync(workspace.Id, to);

        var stored = await WithDbAsync(db => db.Database.SqlQuery<byte[]>(
            $"SELECT phone_hash AS \"Value\" FROM redacted_recipients WHERE workspace_id = {workspace.Id}").SingleAsync());
        // What someone with the database alone could compute for a guessed number: a hash of the workspace and the number.
        string[] guesses = [$"{workspace.Id}:{to}", $"{workspace.Id:N}:{to}", to];
        Assert.That(guesses.Select(g => SHA256.HashData(Encoding.UTF8.GetBytes(g))), Has.None.EqualTo(stored));
        var key = Convert.FromBase64String(TestInfrastructure.RedactionHashKey);
        Assert.That(stored, Is.EqualTo(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{workspace.Id:N}:{to}"))), "an HMAC under Redaction:HashKey");
    }

    /// <summary>The engine's announcement of a redacted customer, and its tombstone, which holds no number in clear.</summary>
    static async Task RedactAsync(Guid workspaceId, string phone)
    {
        await Events.Bus.Publish(new SmsRecipientsRedacted(Guid.NewGuid(), workspaceId, [], [phone]));
        await Eventually.Get(() => WithDbAsync(db => db.Database
                .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM redacted_recipients WHERE workspace_id = {workspaceId}").SingleAsync()),
            n => n == 1, because: "the redaction remembered");
        Assert.That(await WithDbAsync(db => db.Database.SqlQuery<int>(
                $"SELECT count(*)::int AS \"Value\" FROM redacted_recipients WHERE encode(phone_hash, 'escape') LIKE '%' || {phone[1..]} || '%'").SingleAsync()),
            Is.Zero, "the number is kept hashed");
    }

    static Task ParkAsync(SmsRequested request, TimeSpan dueIn) => WithDbAsync(async db =>
    {
        var now = DateTimeOffset.UtcNow;
        db.DeferredRequests.Add(new DeferredSmsRequest
        {
            RequestId = request.RequestId, Message = JsonSerializer.Serialize(request, JsonSerializerOptions.Web), Deferrals = 1,
            Reason = "config_api_unavailable", DeferredAt = now, DueAt = now + dueIn,
        });
        return await db.SaveChangesAsync();
    });

    static Task<string?> ParkedMessageAsync(Guid requestId) => WithDbAsync(db =>
        db.DeferredRequests.AsNoTracking().Where(d => d.RequestId == requestId).Select(d => d.Message).FirstOrDefaultAsync());

    static async Task<T> WithDbAsync<T>(Func<SmsDbContext, Task<T>> query)
    {
        using var scope = SmsSenderHost.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<SmsDbContext>());
    }
}
