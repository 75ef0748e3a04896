using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.SmsSender.Consumers;
using MorfX.SmsSender.Data;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.SmsSender.Tests.SmsSenderFixture;

namespace MorfX.SmsSender.Tests;

/// <summary>"Probar conexion": config-api asks sms-sender (request/response over the broker), which sends through Twilio.</summary>
public class TestSmsTests
{
    [Test]
    public async Task Test_sms_round_trips_from_config_api_through_twilio()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        using var client = ConfigApiHost.CreateClient(Tokens.For(workspace.Id, Roles.Owner));

        using var response = await client.PostAsJsonAsync("/api/integrations/twilio/test", new { phoneNumber = to });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var sid = body.RootElement.GetProperty("messageSid").GetString();
        var messages = await Emulator.MessagesAsync(workspace.AccountSid);
        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(messages[0].Sid, Is.EqualTo(sid));
            Assert.That(messages[0].Body, Is.EqualTo("MorfX: conexion Twilio verificada correctamente"));
            Assert.That(messages[0].To, Is.EqualTo(to));
            Assert.That(messages[0].From, Is.EqualTo(workspace.From));
        });
    }

    [Test]
    public async Task Test_sms_is_recorded_with_origin_test()
    {
        var workspace = await WorkspaceAsync();

        var result = await AskAsync(workspace.Id, Phone());

        Assert.That(result.Succeeded, Is.True, result.ErrorMessage);
        using var scope = SmsSenderHost.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        var row = await db.Messages.SingleAsync(m => m.MessageSid == result.MessageSid);
        Assert.That(row.OriginKind, Is.EqualTo(SmsOrigin.Test));
        Assert.That(row.Body, Is.EqualTo(SendTestSmsConsumer.TestBody));
    }

    [Test]
    public async Task Test_sms_reports_bad_credentials_with_a_stable_code()
    {
        var workspace = await WorkspaceAsync(storedToken: "a-token-twilio-does-not-know");

        var result = await AskAsync(workspace.Id, Phone());

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.ErrorCode, Is.EqualTo("twilio_auth_failed"));
        Assert.That(result.ErrorMessage, Does.Contain("credenciales"));
    }

    [Test]
    public async Task Test_sms_reports_a_number_twilio_refuses_as_invalid_phone()
    {
        var workspace = await WorkspaceAsync();

        var result = await AskAsync(workspace.Id, "+15005550009");

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.ErrorCode, Is.EqualTo("invalid_phone"));
    }

    [Test]
    public async Task Test_sms_without_twilio_configured_says_so()
    {
        var result = await AskAsync(Guid.NewGuid(), Phone());

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.ErrorCode, Is.EqualTo("twilio_not_configured"));
    }

    [Test]
    public async Task Test_sms_reports_twilio_unreachable_when_twilio_keeps_failing()
    {
        var workspace = await WorkspaceAsync();
        await Emulator.FailNextCreatesAsync(503, 50);
        try
        {
            var result = await AskAsync(workspace.Id, Phone());

            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.ErrorCode, Is.EqualTo("twilio_unreachable"));
        }
        finally { await Emulator.ClearFaultsAsync(); }
    }

    static async Task<SendTestSmsResult> AskAsync(Guid workspaceId, string to)
    {
        var client = Events.Bus.CreateRequestClient<SendTestSms>(RequestTimeout.After(s: 20));
        return (await client.GetResponse<SendTestSmsResult>(new SendTestSms(workspaceId, to))).Message;
    }
}
