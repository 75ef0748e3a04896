using System.Net;
using System.Net.Http.Json;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
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
        await InboundAsync(workspace, to, "  Salír ");
        var request = Request(workspace.Id, to, "Promocion de fin de semana");

        await Events.Bus.Publish(request);

        await Events.WaitForAsync<SmsSkipped>(e => e.RequestId == request.RequestId);
        Assert.That(await Emulator.CreateCallsAsync(workspace.AccountSid), Is.Empty, "no Twilio call for an opted-out number");

        await InboundAsync(workspace, to, "ALTA");
        var after = Request(workspace.Id, to, "Bienvenido de nuevo");
        await Events.Bus.Publish(after);
        await RowWhenAsync(after.RequestId, r => r.MessageSid is not null, "ALTA lifted the opt-out");
    }

    [Test]
    public async Task Twilio_opt_out_type_STOP_marks_and_START_lifts_whatever_the_body()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        await InboundAsync(workspace, to, "por favor no mas mensajes", optOutType: "STOP");
        var request = Request(workspace.Id, to, "Hola");
        await Events.Bus.Publish(request);
        await Events.WaitForAsync<SmsSkipped>(e => e.RequestId == request.RequestId);

        await InboundAsync(workspace, to, "hola de nuevo", optOutType: "START");
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

    /// <summary>What webhook-ingest publishes for a verified inbound SMS; waits until sms-sender has applied it.</summary>
    static async Task InboundAsync(TestWorkspace workspace, string from, string body, string? optOutType = null)
    {
        await Events.Bus.Publish(new TwilioInboundReceived(workspace.Id, "SM" + Guid.NewGuid().ToString("N"), from, workspace.From, body,
            optOutType, workspace.AccountSid, DateTimeOffset.UtcNow));
        var optIn = optOutType == "START" || body.Trim().ToUpperInvariant() is "ALTA" or "START";
        await Eventually.Get(() => OptedOutAsync(workspace.Id, from), o => o != optIn, TimeSpan.FromSeconds(20), "the opt-out change is applied");
    }

    static async Task<bool> OptedOutAsync(Guid workspaceId, string phone)
    {
        using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(SmsSenderHost.Services);
        var registry = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<OptOuts.OptOutRegistry>(scope.ServiceProvider);
        return await registry.IsOptedOutAsync(workspaceId, phone, CancellationToken.None);
    }
}
