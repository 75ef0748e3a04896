namespace MorfX.ConfigApi.Messaging;

// The form of the frontend's messaging settings page, as sent: MessagingValidation checks it.

/// <summary>MarketingFrequencyCap null (or left out) turns the cap off.</summary>
public record MessagingSettingsRequest(SendWindowRequest? MarketingWindow, FrequencyCapRequest? MarketingFrequencyCap);

/// <summary>"HH:MM" start and end in the recipient's local time; days "mon"…"sun".</summary>
public record SendWindowRequest(string? Start, string? End, IReadOnlyList<string>? Days);

public record FrequencyCapRequest(int? MaxMessages, int? PeriodDays);
