using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.WebhookIngestFixture;

namespace MorfX.WebhookIngest.Tests;

[Order(2)]
public sealed class TwilioStatusCallbackTests
{
    [Test]
    public async Task Correctly_signed_status_callback_publishes_TwilioStatusReported()
    {
        var (workspaceId, authToken) = await ConnectTwilioAsync();
        var form = StatusForm("undelivered", errorCode: "30006");
        var path = $"/webhooks/twilio/status/{workspaceId}?requestId={Guid.NewGuid()}";

        using var response = await PostAsync(path, form, Sign(path, form, authToken));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var reported = await Events.WaitForAsync<TwilioStatusReported>(r => r.WorkspaceId == workspaceId);
        Assert.That((reported.MessageSid, reported.MessageStatus, reported.ErrorCode, reported.AccountSid),
            Is.EqualTo((form["MessageSid"], "undelivered", (int?)30006, form["AccountSid"])));
    }

    [Test]
    public async Task Callbacks_that_arrive_together_go_to_the_broker_together_and_each_is_answered_after_it()
    {
        var (workspaceId, authToken) = await ConnectTwilioAsync();
        var path = $"/webhooks/twilio/status/{workspaceId}";
        var forms = Enumerable.Range(0, 20).Select(i => StatusForm(i % 2 == 0 ? "sent" : "delivered")).ToList();

        // Twilio's callbacks for 20 messages at once: each is answered 200 only once the message carrying it is confirmed.
        var responses = await Task.WhenAll(forms.Select(form => PostAsync(path, form, Sign(path, form, authToken))));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        var sids = forms.Select(f => f["MessageSid"]).ToHashSet();
        // The 200 means the broker confirmed the message; the observer receives it a moment later.
        var carriers = await Eventually.Get(() => Task.FromResult(Events.All<TwilioStatusReports>(m => m.Reports.Any(r => sids.Contains(r.MessageSid)))),
            seen => seen.Sum(m => m.Reports.Count(r => sids.Contains(r.MessageSid))) >= forms.Count, TimeSpan.FromSeconds(30), "every callback at the broker");
        Assert.That(carriers.SelectMany(m => m.Reports).Select(r => (r.MessageSid, r.MessageStatus)),
            Is.EquivalentTo(forms.Select(f => (f["MessageSid"], f["MessageStatus"]))), "every callback reached the broker once, before its 200");
        Assert.That(carriers, Has.Count.LessThan(forms.Count), "callbacks that arrive together share broker messages");
        TestContext.Out.WriteLine($"{forms.Count} callbacks in {carriers.Count} broker messages");
        foreach (var response in responses) response.Dispose();
    }

    [Test]
    public async Task Signature_over_the_public_url_with_its_default_port_is_accepted()
    {
        var (workspaceId, authToken) = await ConnectTwilioAsync();
        var form = StatusForm("delivered");
        var path = $"/webhooks/twilio/status/{workspaceId}";
        var signature = WebhookSignatures.TwilioSignature(TwilioPublicBaseUrl.Replace(".test", ".test:443") + path, form, authToken);

        using var response = await PostAsync(path, form, signature);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        await Events.WaitForAsync<TwilioStatusReported>(r => r.WorkspaceId == workspaceId && r.MessageStatus == "delivered");
    }

    [Test]
    public async Task Tampered_parameter_is_refused_with_403()
    {
        var (workspaceId, authToken) = await ConnectTwilioAsync();
        var form = StatusForm("failed", errorCode: "30003");
        var path = $"/webhooks/twilio/status/{workspaceId}";
        var signature = Sign(path, form, authToken);
        form["MessageStatus"] = "delivered";

        using var response = await PostAsync(path, form, signature);

        await AssertForbiddenAsync(response);
    }

    [Test]
    public async Task Signature_of_the_request_host_instead_of_the_public_url_is_refused_with_403()
    {
        var (workspaceId, authToken) = await ConnectTwilioAsync();
        var form = StatusForm("sent");
        var path = $"/webhooks/twilio/status/{workspaceId}";
        var signature = WebhookSignatures.TwilioSignature(Ingest.BaseAddress.ToString().TrimEnd('/') + path, form, authToken);

        using var response = await PostAsync(path, form, signature);

        await AssertForbiddenAsync(response);
    }

    [Test]
    public async Task Callback_for_a_workspace_without_Twilio_is_refused_with_403()
    {
        var form = StatusForm("sent");
        var path = $"/webhooks/twilio/status/{Guid.NewGuid()}";

        using var response = await PostAsync(path, form, Sign(path, form, "12345"));

        await AssertForbiddenAsync(response);
    }

    internal static async Task<(Guid WorkspaceId, string AuthToken)> ConnectTwilioAsync()
    {
        var workspaceId = Guid.NewGuid();
        var authToken = RandomHex();
        using var client = ConfigService.CreateClient(Tokens.For(workspaceId));
        using var response = await client.PutAsJsonAsync("/api/integrations/twilio",
            new { accountSid = "AC" + RandomHex(), authToken, phoneNumber = "+15005550006" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (workspaceId, authToken);
    }

    internal static Dictionary<string, string> StatusForm(string status, string? errorCode = null)
    {
        var form = new Dictionary<string, string>
        {
            ["MessageSid"] = "SM" + RandomHex(),
            ["SmsSid"] = "SM" + RandomHex(),
            ["MessageStatus"] = status,
            ["SmsStatus"] = status,
            ["AccountSid"] = "AC" + RandomHex(),
            ["From"] = "+15005550006",
            ["To"] = "+573001234567",
            ["ApiVersion"] = "2010-04-01",
        };
        if (errorCode is not null) form["ErrorCode"] = errorCode;
        return form;
    }

    internal static string Sign(string path, Dictionary<string, string> form, string authToken) =>
        WebhookSignatures.TwilioSignature(TwilioPublicBaseUrl + path, form, authToken);

    internal static async Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> form, string signature)
    {
        using var client = Ingest.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", signature);
        request.Headers.UserAgent.ParseAdd("TwilioProxy/1.1");
        return await client.SendAsync(request);
    }

    internal static async Task AssertForbiddenAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), text);
        Assert.That(JsonDocument.Parse(text).RootElement.GetProperty("code").GetString(), Is.EqualTo("invalid_signature"));
    }
}
