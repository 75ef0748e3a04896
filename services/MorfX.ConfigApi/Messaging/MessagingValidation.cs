using MorfX.Contracts;
using MorfX.Rules;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Messaging;

/// <summary>
/// Field rules of the messaging settings form; each broken rule is a field error with a stable code and a Spanish detail.
/// The window is checked by <see cref="WeeklyWindow.Parse"/>, the one validator of a send window, and keeps its codes.
/// </summary>
public static class MessagingValidation
{
    public const string InvalidFrequencyCap = "invalid_frequency_cap";
    public const int MaxMessagesLimit = 100;
    public const int PeriodDaysLimit = 90;

    public static (MessagingSettings? Settings, List<FieldError> Errors) Validate(MessagingSettingsRequest request)
    {
        var errors = new List<FieldError>();
        var window = request.MarketingWindow;
        if (window is null)
            errors.Add(new("marketingWindow", "required", Texts.MarketingWindowRequired));
        else if (WeeklyWindow.Parse(window.Start, window.End, window.Days).Problem is { } problem)
            errors.Add(WindowError(problem));

        var cap = request.MarketingFrequencyCap;
        if (cap is not null)
        {
            if (cap.MaxMessages is not (>= 1 and <= MaxMessagesLimit))
                errors.Add(new("marketingFrequencyCap.maxMessages", InvalidFrequencyCap, Texts.FrequencyCapMaxMessagesInvalid(MaxMessagesLimit)));
            if (cap.PeriodDays is not (>= 1 and <= PeriodDaysLimit))
                errors.Add(new("marketingFrequencyCap.periodDays", InvalidFrequencyCap, Texts.FrequencyCapPeriodDaysInvalid(PeriodDaysLimit)));
        }

        if (errors.Count > 0) return (null, errors);
        return (new MessagingSettings(new SendWindow(window!.Start!, window.End!, [.. window.Days!]),
            cap is null ? null : new MarketingFrequencyCap(cap.MaxMessages!.Value, cap.PeriodDays!.Value)), errors);
    }

    static FieldError WindowError(string problem) => problem switch
    {
        WeeklyWindow.Codes.InvalidStart => new("marketingWindow.start", problem, Texts.WindowStartInvalid),
        WeeklyWindow.Codes.InvalidEnd => new("marketingWindow.end", problem, Texts.WindowEndInvalid),
        WeeklyWindow.Codes.EmptyWindow => new("marketingWindow.end", problem, Texts.WindowEmpty),
        _ => new("marketingWindow.days", problem, Texts.WindowDaysInvalid),
    };
}
