using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.OptOuts;
using MorfX.Testing;
using MorfX.TwilioEmulator;
using NUnit.Framework;
using static MorfX.SmsSender.Tests.SmsSenderFixture;

namespace MorfX.SmsSender.Tests;

/// <summary>Opt-outs, with two sms-sender instances: a number that said no is never called again until it says yes.</summary>
public class OptOutTests
{
    [Test]
    public async Task Number_that_got_21610_is_called_once_and_never_again()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        await Emulator.ScenarioAsync(to, Scenarios.Unsubscribed);
        var first = Request(workspace.Id, to, "Tu pedido fue confirmado");

        await Events.Bus.Publish(first);

        var failed = await Events.WaitForAsync<SmsFailed>(e => e.RequestId == first.RequestId);
        Assert.That(failed.ErrorCode, Is.EqualTo(21610));
        var later = new[] { Request(workspace.Id, to, "Tu pedido va en camino"), Request(workspace.Id, to, "Tu pedido fue entregado") };
        await Task.WhenAll(later.Select(r => Events.Bus.Publish(r)));

        foreach (var request in later)
        {
            var skipped = await Events.WaitForAsync<SmsSkipped>(e => e.RequestId == request.RequestId);
            Assert.That(skipped.Code, Is.EqualTo("recipient_opted_out"));
            Assert.That((await RowAsync(request.RequestId))!.Status, Is.EqualTo("skipped"));
        }
        await Consistently(async () => (await Emulator.CreateCallsAsync(workspace.AccountSid)).Count(c => c.To == to) == 1,
            "only the first request reached Twilio");
    }

    [Test]
    public async Task Customer_who_texted_SALIR_gets_no_call_until_ALTA()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        var salirAt = DateTimeOffset.UtcNow;
        await InboundAsync(workspace, to, "  Salír ", twilioTime: salirAt);
        var request = Request(workspace.Id, to, "Promocion de fin de semana");

        await Events.Bus.Publish(request);

        await Events.WaitForAsync<SmsSkipped>(e => e.RequestId == request.RequestId);
        Assert.That(await Emulator.CreateCallsAsync(workspace.AccountSid), Is.Empty, "no Twilio call for an opted-out number");

        // Twilio's times have whole seconds, and a STOP and a START of the same second leave the number opted out.
        await InboundAsync(workspace, to, "ALTA", twilioTime: salirAt.AddMinutes(1));
        var after = Request(workspace.Id, to, "Bienvenido de nuevo");
        await Events.Bus.Publish(after);
        await RowWhenAsync(after.RequestId, r => r.MessageSid is not null, "ALTA lifted the opt-out");
    }

    [Test]
    public async Task Twilio_opt_out_type_STOP_marks_and_START_lifts_whatever_the_body()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        var stopAt = DateTimeOffset.UtcNow;
        await InboundAsync(workspace, to, "por favor no mas mensajes", optOutType: "STOP", twilioTime: stopAt);
        var request = Request(workspace.Id, to, "Hola");
        await Events.Bus.Publish(request);
        await Events.WaitForAsync<SmsSkipped>(e => e.RequestId == request.RequestId);

        await InboundAsync(workspace, to, "hola de nuevo", optOutType: "START", twilioTime: stopAt.AddMinutes(1));
        var after = Request(workspace.Id, to, "Hola otra vez");
        await Events.Bus.Publish(after);
        await RowWhenAsync(after.RequestId, r => r.MessageSid is not null, "START lifted the opt-out");
    }

    [Test]
    public async Task Owner_lists_masked_opted_out_numbers_and_lifts_one_through_config_api()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        await InboundAsync(workspace, to, "BAJA");
        using var owner = ConfigApiHost.CreateClient(Tokens.For(workspace.Id, Roles.Owner));
        using var agent = ConfigApiHost.CreateClient(Tokens.For(workspace.Id, Roles.Agent));

        var list = await owner.GetFromJsonAsync<SmsOptOutList>("/api/integrations/twilio/opt-outs");

        var item = list!.Items.Single();
        Assert.That(item.MaskedPhone, Does.Not.Contain(to[3..^4]).And.EndWith(to[^4..]));
        Assert.That((await agent.GetAsync("/api/integrations/twilio/opt-outs")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await owner.DeleteAsync($"/api/integrations/twilio/opt-outs/{Guid.NewGuid()}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await owner.DeleteAsync($"/api/integrations/twilio/opt-outs/{item.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await owner.GetFromJsonAsync<SmsOptOutList>("/api/integrations/twilio/opt-outs"))!.Items, Is.Empty);
        var request = Request(workspace.Id, to, "Hola");
        await Events.Bus.Publish(request);
        await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the lifted number is texted again");
    }

    [Test]
    public async Task START_that_arrives_after_a_STOP_but_was_sent_before_it_leaves_the_number_opted_out()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        var stopAt = DateTimeOffset.UtcNow;
        await InboundAsync(workspace, to, "STOP", twilioTime: stopAt);

        // Twilio received the START a minute before the STOP; it reaches MorfX later (a retry, an outage).
        await PublishInboundAsync(workspace, to, "START", twilioTime: stopAt.AddMinutes(-1));

        await Consistently(async () => await OptedOutAsync(workspace.Id, to), "an older START does not undo a newer STOP", TimeSpan.FromSeconds(3));
        var request = Request(workspace.Id, to, "Hola");
        await Events.Bus.Publish(request);
        await Events.WaitForAsync<SmsSkipped>(e => e.RequestId == request.RequestId);
    }

    [Test]
    public async Task Keywords_count_in_the_order_Twilio_received_them_whatever_order_they_arrive_in()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        var startAt = DateTimeOffset.UtcNow;
        await InboundAsync(workspace, to, "ALTA", twilioTime: startAt);
        await Eventually.Get(() => StateAsync(workspace.Id, to), s => s is not null, TimeSpan.FromSeconds(20), "the ALTA recorded");

        // A SALIR sent before the ALTA but delivered after it changes nothing; a STOP sent after it opts out, and a START after that opts in.
        await PublishInboundAsync(workspace, to, "SALIR", twilioTime: startAt.AddMinutes(-1));
        await Consistently(async () => !await OptedOutAsync(workspace.Id, to), "an older SALIR does not undo a newer ALTA", TimeSpan.FromSeconds(3));
        await InboundAsync(workspace, to, "STOP", twilioTime: startAt.AddMinutes(1));
        await InboundAsync(workspace, to, "START", twilioTime: startAt.AddMinutes(2));

        var request = Request(workspace.Id, to, "Hola de nuevo");
        await Events.Bus.Publish(request);
        await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "a START after the STOP lifted it");
    }

    [Test]
    public async Task STOP_whose_Twilio_time_is_unknown_wins_over_a_START()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        // Twilio does not know this sid (404): its time cannot be read.
        await InboundAsync(workspace, to, "SALIR", unknownToTwilio: true);

        await PublishInboundAsync(workspace, to, "ALTA", twilioTime: DateTimeOffset.UtcNow.AddMinutes(1));

        await Consistently(async () => await OptedOutAsync(workspace.Id, to), "a STOP of unknown time is not undone by a START", TimeSpan.FromSeconds(3));
    }

    /// <summary>
    /// A customer's SMS as Twilio keeps it (received at <paramref name="twilioTime"/>, now by default; unknown to Twilio if asked) and as
    /// webhook-ingest publishes it; waits until sms-sender has applied it.
    /// </summary>
    static async Task InboundAsync(
        TestWorkspace workspace, string from, string body, string? optOutType = null, DateTimeOffset? twilioTime = null, bool unknownToTwilio = false)
    {
        await PublishInboundAsync(workspace, from, body, optOutType, unknownToTwilio ? null : twilioTime ?? DateTimeOffset.UtcNow);
        var optIn = optOutType == "START" || body.Trim().ToUpperInvariant() is "ALTA" or "START";
        await Eventually.Get(() => OptedOutAsync(workspace.Id, from), o => o != optIn, TimeSpan.FromSeconds(20), "the opt-out change is applied");
    }

    /// <summary>What webhook-ingest publishes for a verified inbound SMS (received by MorfX now), after Twilio keeps it at <paramref name="twilioTime"/>.</summary>
    static async Task PublishInboundAsync(TestWorkspace workspace, string from, string body, string? optOutType = null, DateTimeOffset? twilioTime = null)
    {
        var sid = twilioTime is { } at
            ? await Emulator.InboundAsync(workspace.AccountSid, from, workspace.From, body, at)
            : "SM" + Guid.NewGuid().ToString("N");
        await Events.Bus.Publish(new TwilioInboundReceived(workspace.Id, sid, from, workspace.From, body, optOutType, workspace.AccountSid, DateTimeOffset.UtcNow));
    }

    static async Task<bool> OptedOutAsync(Guid workspaceId, string phone)
    {
        using var scope = SmsSenderHost.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<OptOutRegistry>().IsOptedOutAsync(workspaceId, phone, CancellationToken.None);
    }

    /// <summary>The number's row in the registry, null before any change was recorded.</summary>
    static async Task<SmsOptOut?> StateAsync(Guid workspaceId, string phone)
    {
        using var scope = SmsSenderHost.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SmsDbContext>().OptOuts.AsNoTracking()
            .FirstOrDefaultAsync(o => o.WorkspaceId == workspaceId && o.PhoneNumber == phone);
    }
}
