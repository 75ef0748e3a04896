using System.Globalization;

namespace MorfX.SmsSender.Twilio;

/// <summary>A message resource as Twilio returns it (snake_case JSON; counts and price are strings, price null at first).</summary>
public sealed record TwilioMessage(
    string Sid, string Status, string? To, string? From, string? Body, string? NumSegments, string? NumMedia,
    string? Price, string? PriceUnit, int? ErrorCode, string? ErrorMessage, string? DateCreated)
{
    /// <summary>Twilio's price as a number (negative for a charge); null while Twilio has not set it.</summary>
    public decimal? PriceValue =>
        decimal.TryParse(Price, NumberStyles.Float, CultureInfo.InvariantCulture, out var price) ? price : null;

    /// <summary>date_created in RFC 2822 ("Sat, 21 Nov 2026 16:52:53 +0000").</summary>
    public DateTimeOffset? CreatedAt => ParseRfc2822(DateCreated);

    public static DateTimeOffset? ParseRfc2822(string? value)
    {
        if (value is not { Length: > 6 }) return null;
        var offsetText = value[^5..];
        if (!DateTime.TryParseExact(value[..^6], "ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            || !int.TryParse(offsetText.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var hhmm))
            return null;
        var offset = new TimeSpan(hhmm / 100, hhmm % 100, 0);
        return new DateTimeOffset(local, offsetText[0] == '-' ? -offset : offset);
    }
}

public sealed record TwilioMessagePage(IReadOnlyList<TwilioMessage> Messages);

/// <summary>The account resource, without its auth_token (which Twilio returns and we never keep).</summary>
public sealed record TwilioAccount(string Sid, string? FriendlyName, string? Status, string? Type);

/// <summary>Twilio's error body: {code, message, more_info, status}.</summary>
public sealed record TwilioErrorBody(int? Code, string? Message, string? MoreInfo, int? Status);

/// <summary>Twilio answered with an error (after the retry pipeline gave up on transient ones).</summary>
public sealed class TwilioApiException(int httpStatus, int? code, string message)
    : Exception($"Twilio answered {httpStatus} (code {code?.ToString(CultureInfo.InvariantCulture) ?? "none"}): {message}")
{
    public const int AuthenticationFailed = 20003;
    public const int InvalidToNumber = 21211;
    public const int RegionNotEnabled = 21408;
    public const int Unsubscribed = 21610;
    public const int NotMobile = 21614;

    public int HttpStatus { get; } = httpStatus;
    public int? Code { get; } = code;
    public string TwilioMessage { get; } = message;

    /// <summary>
    /// A 4xx other than 429 means Twilio refused the request for good (bad number, unsubscribed, region,
    /// authentication…): sending it again cannot succeed. 429 and 5xx are transient.
    /// </summary>
    public bool IsPermanent => HttpStatus is >= 400 and < 500 and not 429;
}
