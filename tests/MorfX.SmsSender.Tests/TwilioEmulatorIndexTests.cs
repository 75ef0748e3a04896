using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MorfX.Testing;
using MorfX.TwilioEmulator;
using NUnit.Framework;

namespace MorfX.SmsSender.Tests;

/// <summary>
/// The emulator's look-ups as sms-sender and the benchmark use them, now served from its indexes: Twilio's list filters
/// (To, DateSent) see only the account's own matching messages, and the control API counts and forgets per account.
/// </summary>
public class TwilioEmulatorIndexTests
{
    const string First = "AC11111111111111111111111111111111", Second = "AC22222222222222222222222222222222", Token = "index-test-token";

    [Test]
    public async Task Lists_count_and_forget_see_only_the_accounts_and_recipients_asked_for()
    {
        await using var emulator = await RunningService.StartAsync(TwilioEmulatorApp.Build, new Dictionary<string, string?>
        {
            ["Emulator:CallbackDelayMs"] = "20", ["Emulator:PriceDelayMs"] = "-1", ["Logging:LogLevel:Default"] = "Warning",
        });
        using var http = emulator.CreateClient();
        foreach (var account in new[] { First, Second })
            (await http.PostAsJsonAsync("/_emulator/accounts", new { accountSid = account, authToken = Token })).EnsureSuccessStatusCode();
        var beforeAny = DateTimeOffset.UtcNow.AddSeconds(-1);
        var toA = new[] { await CreateAsync(http, First, "+15551110001"), await CreateAsync(http, First, "+15551110001") };
        var toB = await CreateAsync(http, First, "+15551110002");
        var other = await CreateAsync(http, Second, "+15551110001");

        Assert.That(Sids(await ListAsync(http, First, "To=%2B15551110001")), Is.EquivalentTo(toA), "one account's messages to one number");
        Assert.That(Sids(await ListAsync(http, Second, "To=%2B15551110001")), Is.EquivalentTo(new[] { other }));
        Assert.That(Sids(await ListAsync(http, First, "")), Is.EquivalentTo(toA.Append(toB)));
        var sentSince = Uri.EscapeDataString(beforeAny.UtcDateTime.ToString("o", CultureInfo.InvariantCulture));
        var sent = await Eventually.Get(() => ListAsync(http, First, $"DateSent%3E={sentSince}"), m => m.Count == 3,
            because: "each message has a date_sent once it is sent");
        Assert.That(Sids(sent), Is.EquivalentTo(toA.Append(toB)));
        Assert.That(await ListAsync(http, First, $"DateSent%3C={sentSince}"), Is.Empty, "nothing was sent before the first create");

        Assert.That(await CountAsync(http, $"?accountSid={First}"), Is.EqualTo(3));
        Assert.That(await CountAsync(http, $"?accountSid={First}&accountSid={Second}"), Is.EqualTo(4));
        using var forget = await http.PostAsJsonAsync("/_emulator/messages/forget", new { accountSids = new[] { First } });
        forget.EnsureSuccessStatusCode();
        Assert.That(await CountAsync(http, $"?accountSid={First}"), Is.EqualTo(0));
        Assert.That(await CountAsync(http, ""), Is.EqualTo(1), "the other account's message stays");
        Assert.That(await ListAsync(http, First, "To=%2B15551110001"), Is.Empty);
        var kept = await http.GetFromJsonAsync<List<ReceivedMessage>>($"/_emulator/messages?accountSid={Second}");
        Assert.That(kept!.Select(m => m.Sid), Is.EqualTo(new[] { other }));
    }

    static string[] Sids(List<JsonElement> messages) => [.. messages.Select(m => m.GetProperty("sid").GetString()!)];

    static async Task<int> CountAsync(HttpClient http, string query) =>
        (await http.GetFromJsonAsync<JsonElement>($"/_emulator/messages/count{query}")).GetProperty("count").GetInt32();

    static async Task<string> CreateAsync(HttpClient http, string account, string to)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/2010-04-01/Accounts/{account}/Messages.json")
        {
            Content = new FormUrlEncodedContent([new("To", to), new("From", "+15550006666"), new("Body", "Hola")]),
        };
        request.Headers.Authorization = Basic(account);
        using var response = await http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("sid").GetString()!;
    }

    static async Task<List<JsonElement>> ListAsync(HttpClient http, string account, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/2010-04-01/Accounts/{account}/Messages.json?{query}");
        request.Headers.Authorization = Basic(account);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("messages").EnumerateArray().Select(e => e.Clone())];
    }

    static AuthenticationHeaderValue Basic(string account) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account}:{Token}")));
}
