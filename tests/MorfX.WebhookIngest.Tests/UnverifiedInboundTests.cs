using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.Contracts;
using MorfX.Testing;
using MorfX.WebhookIngest.Data;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.TwilioInboundTests;
using static MorfX.WebhookIngest.Tests.TwilioStatusCallbackTests;
using static MorfX.WebhookIngest.Tests.WebhookIngestFixture;

namespace MorfX.WebhookIngest.Tests;

/// <summary>
/// Inbound SMS while config-api cannot give the workspace's auth token (<see cref="ConfigApiOutage"/>): Twilio retries a failed
/// webhook only once, so a SALIR is kept and answered, and verified once the token can be read.
/// </summary>
[Order(3)]
public sealed class UnverifiedInboundTests
{
    [Test]
    public async Task SALIR_while_config_api_is_down_is_answered_kept_and_published_once_when_it_is_back_and_a_forged_one_never()
    {
        var (workspaceId, authToken) = await ConnectTwilioAsync();
        var path = $"/webhooks/twilio/inbound/{workspaceId}";
        var salir = InboundForm("SALIR");
        var forged = InboundForm("ALTA");
        var answers = new List<(HttpStatusCode Status, string Body)>();
        ConfigApiOutage.Begin(workspaceId);
        try
        {
            // The SALIR, Twilio's retry of it, and someone else's ALTA signed with a token that is not the workspace's.
            foreach (var (form, signature) in new[]
                     {
                         (salir, Sign(path, salir, authToken)), (salir, Sign(path, salir, authToken)), (forged, Sign(path, forged, RandomHex())),
                     })
            {
                using var answer = await PostAsync(path, form, signature);
                answers.Add((answer.StatusCode, await answer.Content.ReadAsStringAsync()));
            }
            Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(HttpStatusCode.OK), string.Join("\n", answers.Select(a => a.Body)));
            Assert.That(answers.Select(a => a.Body), Is.All.Contain("<Response></Response>"), "the empty TwiML of any inbound SMS");
            Assert.That(await KeptAsync(workspaceId), Is.EqualTo(2), "the SALIR once (its retry is the same request) and the forged ALTA");
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.That(Events.All<TwilioInboundReceived>(r => r.WorkspaceId == workspaceId), Is.Empty, "nothing published while unverified");
        }
        finally
        {
            ConfigApiOutage.End(workspaceId);
        }

        var inbound = await Events.WaitForAsync<TwilioInboundReceived>(r => r.MessageSid == salir["MessageSid"], TimeSpan.FromSeconds(30));
        Assert.That((inbound.WorkspaceId, inbound.From, inbound.Body), Is.EqualTo((workspaceId, salir["From"], "SALIR")));
        await Eventually.Get(() => KeptAsync(workspaceId), kept => kept == 0, TimeSpan.FromSeconds(30), "both kept requests handled");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That(Events.All<TwilioInboundReceived>(r => r.WorkspaceId == workspaceId).Select(r => r.MessageSid), Is.EqualTo(new[] { salir["MessageSid"] }),
            "the SALIR published once, the forged ALTA never");
    }

    [Test]
    public async Task Unverified_requests_past_the_cap_of_their_AccountSid_get_503_as_before()
    {
        var (workspaceId, authToken) = await ConnectTwilioAsync();
        var path = $"/webhooks/twilio/inbound/{workspaceId}";
        var accountSid = "AC" + RandomHex();
        var statuses = new List<HttpStatusCode>();
        ConfigApiOutage.Begin(workspaceId);
        try
        {
            for (var i = 0; i < MaxUnverifiedPerAccount + 1; i++)
            {
                var form = InboundForm("STOP");
                form["AccountSid"] = accountSid;
                using var answer = await PostAsync(path, form, Sign(path, form, authToken));
                statuses.Add(answer.StatusCode);
            }
        }
        finally
        {
            ConfigApiOutage.End(workspaceId);
        }

        Assert.That(statuses, Is.EqualTo(Enumerable.Repeat(HttpStatusCode.OK, MaxUnverifiedPerAccount).Append(HttpStatusCode.ServiceUnavailable)));
        await Eventually.Get(() => Task.FromResult(Events.All<TwilioInboundReceived>(r => r.WorkspaceId == workspaceId).Count),
            n => n == MaxUnverifiedPerAccount, TimeSpan.FromSeconds(30), "the kept ones verified and published");
    }

    static async Task<int> KeptAsync(Guid workspaceId)
    {
        using var scope = Ingest.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IngestDbContext>().UnverifiedInboundSms.CountAsync(r => r.WorkspaceId == workspaceId);
    }
}
