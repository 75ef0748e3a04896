using System.Globalization;
using MorfX.Rules;

namespace MorfX.SmsSender.Twilio;

/// <summary>What sms-sender keeps of Twilio's message resource (price: negative for a charge, null until Twilio sets it).</summary>
public sealed record TwilioMessage(
    string Sid, string Status, string? To, string? From, string? Body, int NumMedia, decimal? Price, string? PriceUnit, int? ErrorCode,
    DateTimeOffset? CreatedAt);

/// <summary>Twilio answered with an error (after the HTTP pipeline gave up on 429s).</summary>
public sealed class TwilioApiException(int httpStatus, int? code, string message)
    : Exception($"Twilio answered {httpStatus} (code {code?.ToString(CultureInfo.InvariantCulture) ?? "none"}): {message}")
{
    public int HttpStatus { get; } = httpStatus;
    public int? Code { get; } = code;
    public string TwilioMessage { get; } = message;

    /// <summary>Never processed: safe to send again later.</summary>
    public bool IsRateLimited => TwilioErrorCodes.IsRateLimit(HttpStatus, Code);

    /// <summary>
    /// A 4xx other than 429 is Twilio refusing the request for good (bad number, unsubscribed, region, authentication…).
    /// A 5xx — or no status at all (a proxy's page the SDK could not read) — is ambiguous for a create: Twilio may have the message.
    /// </summary>
    public bool IsPermanent => HttpStatus is >= 400 and < 500 && !IsRateLimited;
}

/// <summary>
/// No answer from Twilio: a timeout, a reset, a refused connection. <see cref="NothingSent"/> is true only when the
/// connection was refused, so Twilio cannot have seen the request; otherwise a create may have happened.
/// </summary>
public sealed class TwilioConnectionException(bool nothingSent, Exception inner)
    : Exception($"Twilio could not be reached ({inner.GetType().Name}{(nothingSent ? ", nothing sent" : "")})", inner)
{
    public bool NothingSent { get; } = nothingSent;
}
