using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MorfX.TwilioEmulator;

namespace MorfX.SmsSender.Tests;

/// <summary>The emulator's control endpoints, as a test drives and inspects them.</summary>
public sealed class TwilioEmulatorClient(HttpClient http)
{
    public HttpClient Http => http;

    public async Task RegisterAccountAsync(string accountSid, string authToken) =>
        (await http.PostAsJsonAsync("/_emulator/accounts", new { accountSid, authToken })).EnsureSuccessStatusCode();

    public async Task FailNextCreatesAsync(int status, int count) =>
        (await http.PostAsJsonAsync("/_emulator/faults", new { status, count })).EnsureSuccessStatusCode();

    /// <summary>One of Twilio's hard cases for creates to <paramref name="to"/> (see the emulator's README).</summary>
    public async Task ScenarioAsync(string to, string? kind, int? delayMs = null, int? status = null, int? count = null, string? callbacks = null,
        int? lookupsDownMs = null) =>
        (await http.PostAsJsonAsync("/_emulator/scenarios", new { to, kind, delayMs, status, count, callbacks, lookupsDownMs })).EnsureSuccessStatusCode();

    /// <summary>
    /// A create posted through Twilio's own API, as the workspace (e.g. the one whose answer an attempt never read); returns the sid.
    /// <paramref name="smartEncoded"/> sends SmartEncoded=true: Twilio keeps the body as its Smart Encoding rewrote it.
    /// </summary>
    public async Task<string> CreateMessageAsync(TestWorkspace workspace, string to, string body, string statusCallback, bool smartEncoded = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/2010-04-01/Accounts/{workspace.AccountSid}/Messages.json")
        {
            Content = new FormUrlEncodedContent([new("To", to), new("From", workspace.From), new("Body", body),
                new("StatusCallback", statusCallback), new("SmartEncoded", smartEncoded ? "true" : "false")]),
        };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{workspace.AccountSid}:{workspace.AuthToken}")));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("sid").GetString()!;
    }

    /// <summary>A customer's SMS to the account's number, kept at the emulator as Twilio keeps it (received at <paramref name="dateCreated"/>), not posted anywhere; its sid.</summary>
    public async Task<string> InboundAsync(string accountSid, string from, string to, string body, DateTimeOffset dateCreated)
    {
        using var response = await http.PostAsJsonAsync("/_emulator/inbound", new { accountSid, from, to, body, dateCreated });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<InboundAnswer>())!.Sid;
    }

    sealed record InboundAnswer(string Sid);

    public async Task ClearFaultsAsync() => (await http.DeleteAsync("/_emulator/faults")).EnsureSuccessStatusCode();

    public async Task SetPriceAsync(string sid, decimal price) =>
        (await http.PostAsJsonAsync("/_emulator/prices", new { sid, price })).EnsureSuccessStatusCode();

    public async Task<List<ReceivedMessage>> MessagesAsync(string accountSid) =>
        [.. (await http.GetFromJsonAsync<List<ReceivedMessage>>("/_emulator/messages"))!.Where(m => m.AccountSid == accountSid)];

    public async Task<List<ReceivedMessage>> MessagesToAsync(string accountSid, string to) =>
        [.. (await MessagesAsync(accountSid)).Where(m => m.To == to)];

    /// <summary>Every message-creation call the account made, failed ones included.</summary>
    public async Task<List<ApiCall>> CreateCallsAsync(string accountSid) =>
        [.. (await http.GetFromJsonAsync<List<ApiCall>>("/_emulator/calls"))!
            .Where(c => c.AccountSid == accountSid && c.Method == "POST" && c.Path.EndsWith("/Messages.json", StringComparison.Ordinal))];
}
