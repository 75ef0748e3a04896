using System.Globalization;
using MorfX.Rules;

namespace MorfX.TwilioEmulator;

/// <summary>
/// What happens to a message after Twilio accepts it: "sent", then "delivered" (or the failure of a magic number),
/// each posted to its StatusCallback signed with the account's token; the price appears later (never in a callback).
/// </summary>
public sealed partial class MessageLifecycle(
    EmulatorStore store, EmulatorOptions options, IHttpClientFactory httpFactory, IHostApplicationLifetime lifetime, ILogger<MessageLifecycle> logger)
{
    public const string CallbackClient = "status-callbacks";

    public void Start(EmulatedMessage message) => _ = RunAsync(message, lifetime.ApplicationStopping);

    async Task RunAsync(EmulatedMessage message, CancellationToken ct)
    {
        try
        {
            // A recipient's scenario may lose, duplicate or reorder its callbacks (Twilio guarantees none of these).
            var mode = store.CallbackMode(message.To);
            var post = options.CallbacksEnabled && mode != "lost";
            var (status, code, text) = TwilioApi.FailAfterSending.TryGetValue(message.To, out var failure)
                ? failure : ("delivered", 0, null);
            int? errorCode = code == 0 ? null : code;
            await Task.Delay(options.CallbackDelayMs, ct);
            await ChangeStatusAsync(message, "sent", null, null, post && mode != "reordered", ct);
            if (mode == "duplicated" && post) await PostCallbackAsync(message, "sent", null, ct);
            await Task.Delay(options.CallbackDelayMs, ct);
            await ChangeStatusAsync(message, status, errorCode, text, post, ct);
            if (mode == "duplicated" && post) await PostCallbackAsync(message, status, errorCode, ct);
            if (mode == "reordered" && post) await PostCallbackAsync(message, "sent", null, ct);
            if (options.PriceDelayMs < 0) return;
            await Task.Delay(options.PriceDelayMs, ct);
            store.Update(message, m => m.Price ??= FormatPrice(TwilioApi.PricePerSegment * m.Segments));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The emulator is stopping.
        }
    }

    /// <summary>Moves a message to a status and, when asked and a StatusCallback was given, posts the signed callback.</summary>
    public async Task ChangeStatusAsync(EmulatedMessage message, string status, int? errorCode, string? errorMessage, bool postCallback, CancellationToken ct)
    {
        store.Update(message, m =>
        {
            m.Status = status;
            m.ErrorCode = errorCode;
            m.ErrorMessage = errorMessage;
            if (status is "sent" or "delivered" or "undelivered") m.SentAt ??= DateTimeOffset.UtcNow;
            return 0;
        });
        if (postCallback) await PostCallbackAsync(message, status, errorCode, ct);
    }

    /// <summary>Posts the signed status callback for a status (the message's current one, or a stale one when reordering).</summary>
    public async Task PostCallbackAsync(EmulatedMessage message, string status, int? errorCode, CancellationToken ct)
    {
        if (message.StatusCallback is not { } url) return;

        var fields = new List<KeyValuePair<string, string>>
        {
            new("MessageSid", message.Sid), new("SmsSid", message.Sid),
            new("MessageStatus", status), new("SmsStatus", status),
            new("AccountSid", message.AccountSid), new("From", message.From), new("To", message.To),
            new("ApiVersion", TwilioApi.ApiVersion),
        };
        if (errorCode is { } code) fields.Add(new("ErrorCode", code.ToString(CultureInfo.InvariantCulture)));
        var token = store.TokenOf(message.AccountSid) ?? "";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", WebhookSignatures.TwilioSignature(url, fields, token));
        request.Headers.UserAgent.ParseAdd("TwilioProxy/1.1");
        try
        {
            using var response = await httpFactory.CreateClient(CallbackClient).SendAsync(request, ct);
            store.Update(message, m => { m.CallbacksPosted.Add($"{status}:{(int)response.StatusCode}"); return 0; });
            LogCallback(message.Sid, status, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            store.Update(message, m => { m.CallbacksPosted.Add($"{status}:unreachable"); return 0; });
            LogCallbackFailed(message.Sid, status, e.Message);
        }
    }

    /// <summary>
    /// Receives an inbound SMS as Twilio does: keeps it as a message resource (direction inbound, status received) and posts it to
    /// its URL (form fields, X-Twilio-Signature with the account's token); returns its sid and the answer's status (null when not posted).
    /// </summary>
    public async Task<(string Sid, int? Status)> ReceiveInboundAsync(InboundRequest inbound, CancellationToken ct)
    {
        var sid = EmulatorStore.NewSid("SM");
        var received = inbound.DateCreated ?? DateTimeOffset.UtcNow;
        store.AddInbound(new EmulatedMessage
        {
            Sid = sid, AccountSid = inbound.AccountSid, To = inbound.To, From = inbound.From, Body = inbound.Body, MediaUrls = [],
            Segments = SmsSegments.Calculate(inbound.Body).Segments, CreatedAt = received, UpdatedAt = received, SentAt = received,
            Direction = "inbound", Status = "received",
        });
        if (inbound.Url is not { Length: > 0 } url) return (sid, null);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("MessageSid", sid), new("SmsSid", sid), new("SmsMessageSid", sid), new("AccountSid", inbound.AccountSid),
            new("From", inbound.From), new("To", inbound.To), new("Body", inbound.Body), new("NumMedia", "0"), new("NumSegments", "1"),
            new("SmsStatus", "received"), new("ApiVersion", TwilioApi.ApiVersion),
        };
        if (inbound.OptOutType is { Length: > 0 } type) fields.Add(new("OptOutType", type));
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", WebhookSignatures.TwilioSignature(url, fields, store.TokenOf(inbound.AccountSid) ?? ""));
        request.Headers.UserAgent.ParseAdd("TwilioProxy/1.1");
        using var response = await httpFactory.CreateClient(CallbackClient).SendAsync(request, ct);
        return (sid, (int)response.StatusCode);
    }

    public static string FormatPrice(decimal price) => price.ToString("0.00000", CultureInfo.InvariantCulture);

    [LoggerMessage(1, LogLevel.Debug, "Status callback {MessageSid} {Status} answered {StatusCode}")]
    partial void LogCallback(string messageSid, string status, int statusCode);

    [LoggerMessage(2, LogLevel.Warning, "Status callback {MessageSid} {Status} could not be delivered: {Error}")]
    partial void LogCallbackFailed(string messageSid, string status, string error);
}
