using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MorfX.ServiceDefaults.Integrations;

namespace MorfX.SmsSender.Twilio;

/// <summary>
/// The few Twilio REST calls MorfX makes (the Twilio SDK is not served here), against `Twilio:BaseUrl`. Each call
/// authenticates with the workspace's own credentials (HTTP Basic AccountSid:AuthToken); the HttpClient's handler
/// chain adds the Polly pipeline (<see cref="TwilioResilienceHandler"/>). Errors surface as <see cref="TwilioApiException"/>.
/// </summary>
public sealed class TwilioMessagesClient(HttpClient http)
{
    const string ApiVersion = "2010-04-01";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<TwilioMessage> CreateMessageAsync(
        TwilioCredentials credentials, string to, string from, string body, IReadOnlyList<string> mediaUrls, string statusCallback, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("To", to), new("From", from), new("StatusCallback", statusCallback) };
        if (body.Length > 0) form.Add(new("Body", body));
        form.AddRange(mediaUrls.Select(url => new KeyValuePair<string, string>("MediaUrl", url)));
        using var request = Request(HttpMethod.Post, credentials, "Messages.json");
        request.Content = new FormUrlEncodedContent(form);
        return await SendAsync<TwilioMessage>(request, ct);
    }

    public async Task<TwilioMessage> FetchMessageAsync(TwilioCredentials credentials, string sid, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, credentials, $"Messages/{Uri.EscapeDataString(sid)}.json");
        return await SendAsync<TwilioMessage>(request, ct);
    }

    /// <summary>The newest messages from one number to another (Twilio's list filters To and From, one page).</summary>
    public async Task<IReadOnlyList<TwilioMessage>> ListMessagesAsync(TwilioCredentials credentials, string to, string from, int pageSize, CancellationToken ct)
    {
        var query = $"Messages.json?To={Uri.EscapeDataString(to)}&From={Uri.EscapeDataString(from)}&PageSize={pageSize}";
        using var request = Request(HttpMethod.Get, credentials, query);
        return (await SendAsync<TwilioMessagePage>(request, ct)).Messages;
    }

    public async Task<TwilioAccount> FetchAccountAsync(TwilioCredentials credentials, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{ApiVersion}/Accounts/{Uri.EscapeDataString(credentials.AccountSid)}.json");
        Authorize(request, credentials);
        return await SendAsync<TwilioAccount>(request, ct);
    }

    static HttpRequestMessage Request(HttpMethod method, TwilioCredentials credentials, string relative)
    {
        var request = new HttpRequestMessage(method, $"{ApiVersion}/Accounts/{Uri.EscapeDataString(credentials.AccountSid)}/{relative}");
        Authorize(request, credentials);
        return request;
    }

    static void Authorize(HttpRequestMessage request, TwilioCredentials credentials) =>
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.AccountSid}:{credentials.AuthToken}")));

    async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken ct)
    {
        using var response = await http.SendAsync(request, ct);
        if (response.IsSuccessStatusCode)
            return await response.Content.ReadFromJsonAsync<T>(Json, ct)
                ?? throw new TwilioApiException((int)response.StatusCode, null, "Empty response body");

        TwilioErrorBody? error = null;
        try { error = await response.Content.ReadFromJsonAsync<TwilioErrorBody>(Json, ct); }
        catch (Exception e) when (e is JsonException or NotSupportedException) { /* not Twilio's JSON (a proxy's page): keep the status */ }
        throw new TwilioApiException((int)response.StatusCode, error?.Code, error?.Message ?? response.ReasonPhrase ?? "Twilio error");
    }
}
