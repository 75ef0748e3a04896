namespace MorfX.SmsSender.Twilio;

/// <summary>
/// The Twilio SDK always calls *.twilio.com and takes no CancellationToken. This handler, first in the Twilio HttpClient's
/// chain, points its calls at Twilio:BaseUrl (the emulator in tests and demo mode) and links the ambient token that
/// <see cref="TwilioCall.Cancellation"/> carries, so a stopping consumer still cancels its Twilio call.
/// </summary>
public sealed class TwilioBaseUrlHandler(Uri? baseUrl) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (baseUrl is not null && request.RequestUri is { } uri && uri.Host.EndsWith("twilio.com", StringComparison.OrdinalIgnoreCase))
            request.RequestUri = new Uri(baseUrl, uri.PathAndQuery.TrimStart('/'));
        var ambient = TwilioCall.Cancellation;
        if (!ambient.CanBeCanceled) return await base.SendAsync(request, ct);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, ambient);
        return await base.SendAsync(request, linked.Token);
    }
}
