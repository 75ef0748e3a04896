using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.SmsSender;
using MorfX.Testing;
using MorfX.TwilioEmulator;
using NUnit.Framework;
using static MorfX.ConfigApi.Tests.ConfigApiFixture;

namespace MorfX.ConfigApi.Tests;

/// <summary>"Probar conexion" end to end: config-api -> SendTestSms -> sms-sender -> Twilio emulator, and back.</summary>
public class TestSmsRoundTripTests
{
    const string Path = "/api/integrations/twilio";
    static readonly string AccountSid = "AC" + new string('c', 32);
    RunningService _twilio = null!;
    RunningService _smsSender = null!;
    string _registeredToken = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _twilio = await RunningService.StartAsync(TwilioEmulatorApp.Build, new Dictionary<string, string?>
        {
            ["Emulator:CallbacksEnabled"] = "false",
        });
        var settings = TestInfrastructure.ServiceSettings(ResourceNames.SmsDb);
        settings["Services:ConfigApi"] = Api.BaseAddress.ToString();
        settings["Twilio:BaseUrl"] = _twilio.BaseAddress.ToString();
        _smsSender = await RunningService.StartAsync(MorfX.SmsSender.Program.Build, settings);
        Assert.That(await _smsSender.WaitHealthyAsync(), Is.EqualTo("Healthy"));

        _registeredToken = Guid.NewGuid().ToString("N");
        using var emulator = _twilio.CreateClient();
        using var registered = await emulator.PostAsJsonAsync("/_emulator/accounts", new { accountSid = AccountSid, authToken = _registeredToken });
        Assert.That(registered.IsSuccessStatusCode, Is.True);
    }

    [TearDown]
    public void ReportLogs() => ReportLogsIfFailed();

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _smsSender.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    async Task<HttpClient> WorkspaceWithTwilioAsync(string authToken)
    {
        var client = Client(Guid.NewGuid());
        using var saved = await client.PutJson(Path, new { accountSid = AccountSid, authToken, phoneNumber = "+15005550006" });
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return client;
    }

    [Test]
    public async Task Probar_conexion_sends_a_real_sms_through_twilio_and_returns_its_sid()
    {
        using var client = await WorkspaceWithTwilioAsync(_registeredToken);

        using var response = await client.PostAsJsonAsync(Path + "/test", new { phoneNumber = "+573001234567" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var sid = (await response.Json()).Str("messageSid");
        Assert.That(sid, Does.StartWith("SM"));
        using var emulator = _twilio.CreateClient();
        var messages = await emulator.GetFromJsonAsync<List<JsonElement>>("/_emulator/messages");
        var message = messages!.Single(m => m.Str("sid") == sid);
        Assert.That(message.Str("to"), Is.EqualTo("+573001234567"));
        Assert.That(message.Str("from"), Is.EqualTo("+15005550006"));
        Assert.That(message.Str("accountSid"), Is.EqualTo(AccountSid));
    }

    [Test]
    public async Task Probar_conexion_with_a_wrong_token_says_what_to_fix_and_flags_twilio_as_failing()
    {
        using var client = await WorkspaceWithTwilioAsync(Guid.NewGuid().ToString("N"));

        using var response = await client.PostAsJsonAsync(Path + "/test", new { phoneNumber = "+573001234567" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), await response.Content.ReadAsStringAsync());
        var problem = await response.Json();
        Assert.That(problem.Code(), Is.EqualTo("twilio_auth_failed"));
        Assert.That(problem.Str("detail"), Does.Contain("Auth Token"));
        var twilio = await Eventually.Get(() => client.GetJson(Path), t => t.Str("status") == IntegrationStatuses.Failing, because: "twilio flagged failing");
        Assert.That(twilio.Str("status"), Is.EqualTo("failing"));
    }

    [Test]
    public async Task Probar_conexion_to_a_number_twilio_refuses_returns_invalid_phone()
    {
        using var client = await WorkspaceWithTwilioAsync(_registeredToken);

        using var response = await client.PostAsJsonAsync(Path + "/test", new { phoneNumber = "+15005550001" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        Assert.That((await response.Json()).Code(), Is.EqualTo("invalid_phone"));
    }
}
