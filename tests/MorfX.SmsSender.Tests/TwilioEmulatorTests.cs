using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MorfX.Rules;
using MorfX.Testing;
using MorfX.TwilioEmulator;
using NUnit.Framework;

namespace MorfX.SmsSender.Tests;

/// <summary>
/// The emulator as webhook-ingest and the demo see it: status callbacks it posts are signed the way Twilio signs them,
/// the price appears after the final status, and its error bodies are Twilio's.
/// </summary>
public class TwilioEmulatorTests
{
    sealed record Callback(string Url, Dictionary<string, string> Form, string? Signature);

    [Test]
    public async Task Accepted_message_gets_signed_status_callbacks_and_later_a_price()
    {
        var callbacks = new ConcurrentQueue<Callback>();
        await using var receiver = await RunningService.StartAsync((args, configure) =>
        {
            var builder = WebApplication.CreateBuilder(args);
            configure?.Invoke(builder);
            var app = builder.Build();
            app.MapPost("/webhooks/twilio/status/{workspaceId}", async (HttpRequest request) =>
            {
                var form = await request.ReadFormAsync();
                callbacks.Enqueue(new Callback(
                    $"{request.Scheme}://{request.Host}{request.Path}{request.QueryString}",
                    form.ToDictionary(f => f.Key, f => f.Value.ToString()),
                    request.Headers["X-Twilio-Signature"].ToString()));
                return Results.Ok();
            });
            return app;
        }, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        await using var emulator = await RunningService.StartAsync(TwilioEmulatorApp.Build, new Dictionary<string, string?>
        {
            ["Emulator:CallbackDelayMs"] = "20",
            ["Emulator:PriceDelayMs"] = "100",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        using var http = emulator.CreateClient();
        const string account = "AC0123456789abcdef0123456789abcdef", token = "emulator-test-token";
        await http.PostAsJsonAsync("/_emulator/accounts", new { accountSid = account, authToken = token });
        var callbackUrl = new Uri(receiver.BaseAddress, "/webhooks/twilio/status/ws-1?attempt=1").ToString();

        var delivered = await CreateAsync(http, account, token, "+15551230001", callbackUrl, "Hola ñandú ✓ " + new string('x', 70));
        var undelivered = await CreateAsync(http, account, token, "+15005550020", callbackUrl, "Hola");

        await Eventually.Get(() => Task.FromResult(callbacks.Count), n => n >= 4, because: "two callbacks per message");
        Assert.That(callbacks.All(c => c.Url == callbackUrl && new global::Twilio.Security.RequestValidator(token).Validate(c.Url, c.Form, c.Signature ?? "")), Is.True,
            "every callback is signed over the exact StatusCallback URL with the account's token");
        Assert.That(StatusesOf(callbacks, delivered), Is.EqualTo(new[] { "sent", "delivered" }));
        Assert.That(StatusesOf(callbacks, undelivered), Is.EqualTo(new[] { "sent", "undelivered" }));
        var failure = callbacks.Last(c => c.Form["MessageSid"] == undelivered);
        Assert.That(failure.Form["ErrorCode"], Is.EqualTo("30003"));
        Assert.That(failure.Form["AccountSid"], Is.EqualTo(account));

        var priced = await Eventually.Get(() => FetchAsync(http, account, token, delivered), m => m.GetProperty("price").ValueKind == JsonValueKind.String,
            because: "the price appears after the final status");
        Assert.That(priced.GetProperty("price").GetString(), Is.EqualTo("-0.01500"), "83 UCS-2 characters (ñ, ✓) are 2 segments at -0.0075");
        Assert.That(priced.GetProperty("num_segments").GetString(), Is.EqualTo("2"));
        Assert.That(priced.GetProperty("status").GetString(), Is.EqualTo("delivered"));
    }

    [Test]
    public async Task Wrong_credentials_and_magic_numbers_get_twilio_error_bodies()
    {
        await using var emulator = await RunningService.StartAsync(TwilioEmulatorApp.Build,
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        using var http = emulator.CreateClient();
        const string account = "ACfedcba9876543210fedcba9876543210", token = "right-token";
        await http.PostAsJsonAsync("/_emulator/accounts", new { accountSid = account, authToken = token });

        var (status, error) = await CreateRawAsync(http, account, "wrong-token", "+15551230001");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(error.GetProperty("code").GetInt32(), Is.EqualTo(20003));
        Assert.That(error.GetProperty("more_info").GetString(), Is.EqualTo("https://www.twilio.com/docs/errors/20003"));

        foreach (var (to, code) in new[] { ("+15005550001", 21211), ("+15005550002", 21408), ("+15005550004", 21610), ("+15005550009", 21614) })
        {
            (status, error) = await CreateRawAsync(http, account, token, to);
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), to);
            Assert.That(error.GetProperty("code").GetInt32(), Is.EqualTo(code), to);
            Assert.That(error.GetProperty("status").GetInt32(), Is.EqualTo(400), to);
        }
    }

    [Test]
    public async Task Chaos_fails_creates_as_twilio_does_some_after_creating_the_message()
    {
        await using var emulator = await RunningService.StartAsync(TwilioEmulatorApp.Build,
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        using var http = emulator.CreateClient();
        const string account = "AC0123456789abcdef0123456789abcdef", token = "chaos-token";
        await http.PostAsJsonAsync("/_emulator/accounts", new { accountSid = account, authToken = token });
        (await http.PostAsJsonAsync("/_emulator/chaos", new { percent = 100, slowMs = 1 })).EnsureSuccessStatusCode();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 200; i++)
        {
            try
            {
                var (status, json) = await CreateRawAsync(http, account, token, $"+1555200{i:D4}");
                answers.Add(status);
                if (status != HttpStatusCode.Created)
                    Assert.That(json.GetProperty("code").GetInt32(), Is.EqualTo(status == HttpStatusCode.TooManyRequests ? 20429 : 20500));
            }
            catch (HttpRequestException) { answers.Add(0); } // the connection dropped
        }
        (await http.DeleteAsync("/_emulator/chaos")).EnsureSuccessStatusCode();
        var (after, _) = await CreateRawAsync(http, account, token, "+15552009999");

        var calls = (await http.GetFromJsonAsync<List<ApiCall>>("/_emulator/calls"))!;
        Assert.Multiple(() =>
        {
            Assert.That(answers.Distinct(), Is.SubsetOf(new[] { HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.InternalServerError, (HttpStatusCode)0 }));
            Assert.That(calls.Where(c => c.Status == 429).Select(c => c.Sid), Is.All.Null, "a 429 creates nothing");
            // The ambiguous cases: a 500 or a dropped connection after the message was created, and before.
            Assert.That(calls.Count(c => c.Status is 500 or 0 && c.Sid is not null), Is.GreaterThan(0));
            Assert.That(calls.Count(c => c.Status is 500 or 0 && c.Sid is null), Is.GreaterThan(0));
            Assert.That(after, Is.EqualTo(HttpStatusCode.Created), "no chaos once it is deleted");
        });
    }

    static string[] StatusesOf(IEnumerable<Callback> callbacks, string sid) =>
        [.. callbacks.Where(c => c.Form["MessageSid"] == sid).Select(c => c.Form["MessageStatus"])];

    static async Task<string> CreateAsync(HttpClient http, string account, string token, string to, string callback, string body)
    {
        var (status, json) = await CreateRawAsync(http, account, token, to, callback, body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), json.ToString());
        Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("queued"));
        Assert.That(json.GetProperty("price").ValueKind, Is.EqualTo(JsonValueKind.Null));
        return json.GetProperty("sid").GetString()!;
    }

    static async Task<(HttpStatusCode, JsonElement)> CreateRawAsync(
        HttpClient http, string account, string token, string to, string? callback = null, string body = "Hola")
    {
        var form = new List<KeyValuePair<string, string>> { new("To", to), new("From", "+15550006666"), new("Body", body) };
        if (callback is not null) form.Add(new("StatusCallback", callback));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/2010-04-01/Accounts/{account}/Messages.json") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = Basic(account, token);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    static async Task<JsonElement> FetchAsync(HttpClient http, string account, string token, string sid)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/2010-04-01/Accounts/{account}/Messages/{sid}.json");
        request.Headers.Authorization = Basic(account, token);
        using var response = await http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    static AuthenticationHeaderValue Basic(string account, string token) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account}:{token}")));
}
