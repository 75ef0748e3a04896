namespace MorfX.Rules;

/// <summary>
/// Twilio's error codes as MorfX handles them (docs/protocols.md, "Errors by code"), with the Spanish reason the merchant reads
/// in the run history: the one table sms-sender (what to retry) and the engine (what to show) share.
/// </summary>
public static class TwilioErrorCodes
{
    public const int AuthenticationFailed = 20003;
    public const int TooManyRequests = 20429;
    public const int InvalidToNumber = 21211;
    public const int RegionNotEnabled = 21408;
    public const int Unsubscribed = 21610;
    public const int NotMobile = 21614;
    public const int UnreachableHandset = 30003;
    public const int UnknownDestination = 30005;
    public const int Landline = 30006;
    public const int FilteredAsSpam = 30007;
    public const int UnknownError = 30008;

    /// <summary>Refusals that sending again cannot cure: the step fails with its code and is never retried.</summary>
    public static bool IsPermanent(int? code) => code is AuthenticationFailed or InvalidToNumber or RegionNotEnabled
        or Unsubscribed or NotMobile or UnknownDestination or Landline or FilteredAsSpam;

    /// <summary>Delivery failures that are often transient: worth another message later, with backoff.</summary>
    public static bool IsRetryableDelivery(int? code) => code is UnreachableHandset or UnknownError;

    /// <summary>Never processed by Twilio: always safe to send again (after Retry-After).</summary>
    public static bool IsRateLimit(int httpStatus, int? code) => httpStatus == 429 || code == TooManyRequests;

    public static string SpanishReason(int? code) => code switch
    {
        AuthenticationFailed => Texts.AuthenticationFailed,
        InvalidToNumber => Texts.InvalidToNumber,
        RegionNotEnabled => Texts.RegionNotEnabled,
        Unsubscribed => Texts.Unsubscribed,
        NotMobile => Texts.NotMobile,
        UnreachableHandset => Texts.UnreachableHandset,
        UnknownDestination => Texts.UnknownDestination,
        Landline => Texts.Landline,
        FilteredAsSpam => Texts.FilteredAsSpam,
        UnknownError => Texts.UnknownError,
        { } other => Texts.TwilioRefused(other),
        null => Texts.TwilioRefusedNoCode,
    };
}
