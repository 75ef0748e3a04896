using System.Diagnostics.CodeAnalysis;

namespace MorfX.UsageApi.Apis;

/// <summary>The dashboard's periods (rolling: day = last 24 h, week = 7 days, month = 30 days) and its time zones.</summary>
public static class UsageRanges
{
    public const string Day = "day";
    public const string Week = "week";
    public const string Month = "month";

    public static bool TryParsePeriod(string? value, IReadOnlyCollection<string> allowed, [NotNullWhen(true)] out string? period)
    {
        period = value is null ? Week : allowed.FirstOrDefault(p => string.Equals(p, value.Trim(), StringComparison.OrdinalIgnoreCase));
        return period is not null && allowed.Contains(period);
    }

    public static int Days(string period) => period switch { Day => 1, Week => 7, _ => 30 };

    /// <summary>
    /// An IANA zone both .NET and PostgreSQL know (both read the system tz database). Windows ids are refused
    /// because PostgreSQL would not understand them.
    /// </summary>
    public static bool TryFindTimeZone(string? id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64) return false;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found) || !found.HasIanaId) return false;
        zone = found;
        return true;
    }

    /// <summary>The UTC instant a calendar day starts in a zone (skipping a DST gap at midnight, as clocks do).</summary>
    public static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    public static DateOnly Today(DateTimeOffset now, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    /// <summary>Trims a text to at most <paramref name="max"/> UTF-16 units without splitting a surrogate pair.</summary>
    public static string? Cut(string? text, int max)
    {
        if (text is null || text.Length <= max) return text;
        var end = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..end];
    }

    /// <summary>Money shown to users: 4 decimals, as the issue asks; exact decimals, never floating point.</summary>
    public static decimal Money(decimal value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);
}
