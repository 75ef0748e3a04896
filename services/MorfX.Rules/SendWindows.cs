using System.Globalization;

namespace MorfX.Rules;

/// <summary>
/// A weekly send window in the recipient's local time: from <see cref="Start"/> to <see cref="End"/> on each of
/// <see cref="Days"/>. A window whose end is not after its start crosses midnight (22:00–02:00 on Friday is open from Friday
/// 22:00 to Saturday 02:00): the days are the days it opens on.
/// </summary>
public sealed record WeeklyWindow(TimeOnly Start, TimeOnly End, IReadOnlySet<DayOfWeek> Days)
{
    /// <summary>The days as the API writes them, Monday first.</summary>
    public static readonly IReadOnlyList<string> DayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    public static class Codes
    {
        public const string InvalidStart = "invalid_send_window_start";
        public const string InvalidEnd = "invalid_send_window_end";
        public const string EmptyWindow = "empty_send_window";
        public const string InvalidDays = "invalid_send_window_days";
    }

    /// <summary>The window, or the code of its first problem: "HH:MM" times (00:00–23:59), start ≠ end, at least one known day, none twice.</summary>
    public static (WeeklyWindow? Window, string? Problem) Parse(string? start, string? end, IReadOnlyCollection<string>? days)
    {
        if (!TryTime(start, out var from)) return (null, Codes.InvalidStart);
        if (!TryTime(end, out var to)) return (null, Codes.InvalidEnd);
        if (from == to) return (null, Codes.EmptyWindow);
        if (days is null || days.Count == 0 || days.Any(d => !DayNames.Contains(d)) || days.Distinct().Count() != days.Count)
            return (null, Codes.InvalidDays);
        return (new WeeklyWindow(from, to, days.Select(DayOf).ToHashSet()), null);
    }

    static bool TryTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    static DayOfWeek DayOf(string name) => (DayOfWeek)((Array.IndexOf([.. DayNames], name) + 1) % 7);

    bool CrossesMidnight => End <= Start;

    public bool IsOpen(DateTime local)
    {
        var time = TimeOnly.FromDateTime(local);
        if (!CrossesMidnight) return Days.Contains(local.DayOfWeek) && time >= Start && time < End;
        return (Days.Contains(local.DayOfWeek) && time >= Start) || (Days.Contains(local.AddDays(-1).DayOfWeek) && time < End);
    }

    /// <summary>When the window next opens after <paramref name="now"/> in <paramref name="zone"/> (UTC); null while it is open.</summary>
    public DateTimeOffset? NextOpening(DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        if (IsOpen(local)) return null;
        for (var day = 0; day <= 7; day++)
        {
            var date = DateOnly.FromDateTime(local).AddDays(day);
            if (!Days.Contains(date.DayOfWeek)) continue;
            var opening = ToInstant(date.ToDateTime(Start), zone);
            if (opening > now) return opening.ToUniversalTime();
        }
        throw new InvalidOperationException("A window with at least one day opens within a week.");
    }

    /// <summary>A local time as an instant: a time skipped by a clock change moves past the gap; a repeated one takes its first occurrence.</summary>
    static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(30);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}

/// <summary>
/// Whose clock a send window follows: the recipient's country when all of it keeps one clock, else the shop's time zone,
/// else Bogotá's. The countries are those whose whole territory has a single zone in the IANA time zone database
/// (zone1970.tab; Mexico, the United States, Canada, Brazil, Chile, Ecuador and Spain have several and use the shop's).
/// </summary>
public static class RecipientTimeZones
{
    public const string Fallback = "America/Bogota";

    // Longest calling-code prefix first; the NANP entries are area codes of places with one clock.
    static readonly (string Prefix, string Zone)[] SingleZone =
    [
        ("1787", "America/Puerto_Rico"), ("1939", "America/Puerto_Rico"),
        ("1809", "America/Santo_Domingo"), ("1829", "America/Santo_Domingo"), ("1849", "America/Santo_Domingo"),
        ("502", "America/Guatemala"), ("503", "America/El_Salvador"), ("504", "America/Tegucigalpa"), ("505", "America/Managua"),
        ("506", "America/Costa_Rica"), ("507", "America/Panama"), ("591", "America/La_Paz"), ("595", "America/Asuncion"),
        ("598", "America/Montevideo"), ("351", "Europe/Lisbon"),
        ("57", "America/Bogota"), ("51", "America/Lima"), ("58", "America/Caracas"), ("54", "America/Argentina/Buenos_Aires"),
        ("53", "America/Havana"), ("44", "Europe/London"), ("49", "Europe/Berlin"), ("33", "Europe/Paris"), ("39", "Europe/Rome"),
        ("91", "Asia/Kolkata"),
    ];

    public static TimeZoneInfo For(string phone, string? shopTimeZone)
    {
        var digits = phone.TrimStart('+');
        foreach (var (prefix, zone) in SingleZone)
            if (digits.StartsWith(prefix, StringComparison.Ordinal)) return TimeZoneInfo.FindSystemTimeZoneById(zone);
        if (shopTimeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(shopTimeZone, out var shop)) return shop;
        return TimeZoneInfo.FindSystemTimeZoneById(Fallback);
    }
}
