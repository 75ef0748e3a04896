using System.Globalization;
using MorfX.ServiceDefaults.Messaging;

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
            await Task.Delay(options.CallbackDelayMs, ct);
            await ChangeStatusAsync(message, "sent", null, null, options.CallbacksEnabled, ct);
            await Task.Delay(options.CallbackDelayMs, ct);
            var (status, code, text) = TwilioApi.FailAfterSending.TryGetValue(message.To, out var failure)
                ? failure : ("delivered", 0, null);
            await ChangeStatusAsync(message, status, code == 0 ? null : code, text, options.CallbacksEnabled, ct);
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
        if (!postCallback || message.StatusCallback is not { } url) return;

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

    public static string FormatPrice(decimal price) => price.ToString("0.00000", CultureInfo.InvariantCulture);

    [LoggerMessage(1, LogLevel.Information, "Status callback {MessageSid} {Status} answered {StatusCode}")]
    partial void LogCallback(string messageSid, string status, int statusCode);

    [LoggerMessage(2, LogLevel.Warning, "Status callback {MessageSid} {Status} could not be delivered: {Error}")]
    partial void LogCallbackFailed(string messageSid, string status, string error);
}
