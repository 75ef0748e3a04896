using System.ComponentModel.DataAnnotations;

namespace MorfX.ServiceDefaults.Data;

/// <summary>
/// Section Retention: Enabled (true), Interval between passes (00:10:00), BatchSize (rows per DELETE, 500), Pause between
/// batches (00:00:00.050, so the hot path's writes interleave), and Keep:{table} to change one table's age (0 = keep all).
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    public bool Enabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan Pause { get; set; } = TimeSpan.FromMilliseconds(50);

    public Dictionary<string, TimeSpan> Keep { get; set; } = [];

    public TimeSpan KeepFor(RetentionRule rule) => Keep.GetValueOrDefault(rule.Table, rule.Keep);
}
