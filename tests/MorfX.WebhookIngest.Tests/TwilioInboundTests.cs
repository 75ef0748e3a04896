using System.Net;
using System.Security.Cryptography;
using System.Text;
using MorfX.Contracts;
using MorfX.Rules;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.TwilioStatusCallbackTests;
using static MorfX.WebhookIngest.Tests.WebhookIngestFixture;

namespace MorfX.WebhookIngest.Tests;

/// <summary>Inbound SMS (opt-out keywords reach sms-sender through here) and what Twilio's webhooks carry beyond form posts.</summary>
[Order(3)]
public sealed class TwilioInboundTests
{
    [Test]
    public async Task Signed_inbound_sms_publishes_TwilioInboundReceived_with_its_opt_out_type()
    {
        var (workspaceId, authToken) = await ConnectTwilioAsync();
        var form = InboundForm("SALIR", optOutType: "STOP");
        var path = $"/webhooks/twilio/inbound/{workspaceId}";

        using var response = await PostAsync(path, form, Sign(path, form, authToken));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("<Response></Response>"), "an empty TwiML answer: no reply SMS");
        var inbound = await Events.WaitForAsync<TwilioInboundReceived>(r => r.WorkspaceId == workspaceId);
        Assert.That((inbound.MessageSid, inbound.From, inbound.Body, inbound.OptOutType), Is.EqualTo((form["MessageSid"], form["From"], "SALIR", "STOP")));
    }

    [Test]
    public async Task Inbound_sms_with_a_bad_signature_is_refused_with_403()
    {
        var (workspaceId, authToken) = await ConnectTwilioAsync();
        var form = InboundForm("STOP");
        var path = $"/webhooks/twilio/inbound/{workspaceId}";
        var signature = Sign(path, form, authToken);
        form["From"] = "+15550001111";

        using var response = await PostAsync(path, form, signature);

        await AssertForbiddenAsync(response);
    }

    [Test]
    public async Task Status_callback_passes_sms_senders_marker_through()
    {
        var (workspaceId, authToken) = await ConnectTwilioAsync();
        var requestId = Guid.NewGuid();
        var form = StatusForm("sent");
        var path = $"/webhooks/twilio/status/{workspaceId}?r={requestId:N}";

        using var response = await PostAsync(path, form, Sign(path, form, authToken));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var reported = await Events.WaitForAsync<TwilioStatusReported>(r => r.MessageSid == form["MessageSid"]);
        Assert.That(reported.RequestId, Is.EqualTo(requestId));
    }

    [Test]
    public async Task Json_webhook_is_checked_by_its_bodySHA256_and_a_changed_body_is_refused()
    {
        var (workspaceId, authToken) = await ConnectTwilioAsync();
        var body = $$"""{"MessageSid":"SM{{RandomHex()}}","MessageStatus":"delivered","AccountSid":"AC{{RandomHex()}}"}""";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var path = $"/webhooks/twilio/status/{workspaceId}?bodySHA256={hash}";
        var signature = WebhookSignatures.TwilioSignature(TwilioPublicBaseUrl + path, [], authToken);

        using var accepted = await PostJsonAsync(path, body, signature);
        using var tampered = await PostJsonAsync(path, body.Replace("delivered", "failed"), signature);

        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await accepted.Content.ReadAsStringAsync());
        await Events.WaitForAsync<TwilioStatusReported>(r => r.WorkspaceId == workspaceId && r.MessageStatus == "delivered");
        await AssertForbiddenAsync(tampered);
    }

    internal static Dictionary<string, string> InboundForm(string body, string? optOutType = null)
    {
        var sid = "SM" + RandomHex();
        var form = new Dictionary<string, string>
        {
            ["MessageSid"] = sid, ["SmsSid"] = sid, ["SmsMessageSid"] = sid, ["AccountSid"] = "AC" + RandomHex(),
            ["From"] = "+573001234567", ["To"] = "+15005550006", ["Body"] = body, ["NumMedia"] = "0", ["NumSegments"] = "1",
            ["SmsStatus"] = "received", ["ApiVersion"] = "2010-04-01",
        };
        if (optOutType is not null) form["OptOutType"] = optOutType;
        return form;
    }

    static async Task<HttpResponseMessage> PostJsonAsync(string path, string body, string signature)
    {
        using var client = Ingest.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Twilio-Signature", signature);
        return await client.SendAsync(request);
    }
}
