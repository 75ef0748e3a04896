using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MorfX.ConfigApiClient;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.SmsSender.Sending;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.SmsSender.Tests.SmsSenderFixture;

namespace MorfX.SmsSender.Tests;

/// <summary>
/// A rotated or removed Twilio token stops being used within 5 s (issue 32) even when no IntegrationChanged arrives: config-api's
/// change feed is what every instance's cache answers to. The instances' invalidation queues are unbound for the test, so the
/// announcement of the change is lost to them.
/// </summary>
[NonParallelizable]
public class StaleSecretsTests
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    static async Task<List<UnboundQueue>> LoseIntegrationChangesAsync()
    {
        var queues = new List<UnboundQueue>();
        foreach (var host in new[] { SmsSenderHost, SecondSmsSenderHost })
            queues.Add(await UnboundQueue.StartAsync(host.Services.GetRequiredService<IntegrationLookup>().InvalidationQueue!, typeof(IntegrationChanged)));
        return queues;
    }

    static async Task SentAsync(TestWorkspace workspace)
    {
        var request = Request(workspace.Id, Phone(), "Pedido en camino");
        await Events.Bus.Publish(request);
        await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the message is sent");
    }

    [Test]
    public async Task A_rotated_token_is_used_within_five_seconds_though_the_change_message_is_lost()
    {
        var workspace = await WorkspaceAsync();
        // Both instances cache the token (one request each is not guaranteed: a few).
        for (var i = 0; i < 4; i++) await SentAsync(workspace);
        var lost = await LoseIntegrationChangesAsync();
        try
        {
            // The owner rotates the token at Twilio (the old one stops working) and saves the new one.
            var rotated = workspace with { AuthToken = "tok" + Guid.NewGuid().ToString("N") };
            await Emulator.RegisterAccountAsync(rotated.AccountSid, rotated.AuthToken);
            using (var client = ConfigApiHost.CreateClient(Tokens.For(workspace.Id, Roles.Owner)))
                (await client.PutAsJsonAsync("/api/integrations/twilio",
                    new { accountSid = rotated.AccountSid, authToken = rotated.AuthToken, phoneNumber = rotated.From })).EnsureSuccessStatusCode();
            await Task.Delay(Bound);

            var requests = Enumerable.Range(0, 4).Select(i => Request(workspace.Id, Phone(), $"Después de rotar {i}")).ToList();
            foreach (var request in requests) await Events.Bus.Publish(request);
            foreach (var request in requests)
            {
                var row = await RowWhenAsync(request.RequestId, r => r.MessageSid is not null || r.Status == "failed", "the message is handled");
                Assert.That((row.Status, row.ErrorCode), Is.Not.EqualTo(("failed", (int?)20003)), "the old token was used");
                Assert.That(row.MessageSid, Is.Not.Null);
            }
        }
        finally
        {
            foreach (var queue in lost) await queue.DisposeAsync();
        }
    }

    [Test]
    public async Task A_removed_integration_sends_nothing_after_five_seconds_though_the_change_message_is_lost()
    {
        var workspace = await WorkspaceAsync();
        for (var i = 0; i < 4; i++) await SentAsync(workspace);
        var lost = await LoseIntegrationChangesAsync();
        try
        {
            using (var client = ConfigApiHost.CreateClient(Tokens.For(workspace.Id, Roles.Owner)))
                (await client.DeleteAsync("/api/integrations/twilio")).EnsureSuccessStatusCode();
            await Task.Delay(Bound);

            var request = Request(workspace.Id, Phone(), "Después de quitar Twilio");
            await Events.Bus.Publish(request);

            var failed = await Events.WaitForAsync<SmsFailed>(e => e.RequestId == request.RequestId);
            Assert.That(failed.ErrorMessage, Is.EqualTo(SmsDispatcher.NotConfiguredError));
            Assert.That(await Emulator.MessagesAsync(workspace.AccountSid), Has.Count.EqualTo(4), "nothing sent with the removed credentials");
        }
        finally
        {
            foreach (var queue in lost) await queue.DisposeAsync();
        }
    }
}
