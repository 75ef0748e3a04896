using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using MorfX.ConfigApiClient;
using Twilio.Clients;
using Twilio.Http;

namespace MorfX.SmsSender.Twilio;

/// <summary>
/// One <see cref="TwilioRestClient"/> per workspace credentials, never a static TwilioClient.Init: the SDK's HTTP client
/// keeps the last request (with its Basic credentials), so a client is never shared across credentials. Keyed by the
/// account sid and a hash of the token (a rotated token gets a new client; the token itself is kept only inside the SDK
/// client). Every client sends through the named HttpClient <see cref="HttpClientName"/> from IHttpClientFactory, whose
/// handlers redirect to Twilio:BaseUrl, apply the resilience pipeline and emit OpenTelemetry HTTP spans.
/// </summary>
public sealed class TwilioRestClients(IHttpClientFactory httpFactory)
{
    public const string HttpClientName = "twilio";
    const int MaxClients = 10_000;

    readonly ConcurrentDictionary<string, TwilioRestClient> _clients = new(StringComparer.Ordinal);

    public TwilioRestClient For(TwilioCredentials credentials)
    {
        var key = credentials.AccountSid + ":" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(credentials.AuthToken)));
        if (_clients.TryGetValue(key, out var client)) return client;
        // Rotated tokens leave stale entries behind; a bound keeps that from growing without end.
        if (_clients.Count >= MaxClients) _clients.Clear();
        return _clients.GetOrAdd(key, _ => new TwilioRestClient(
            credentials.AccountSid, credentials.AuthToken, httpClient: new SystemNetHttpClient(httpFactory.CreateClient(HttpClientName))));
    }
}
