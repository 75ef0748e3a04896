using System.ComponentModel.DataAnnotations;

namespace MorfX.Data;

/// <summary>How old rows are deleted: in small batches, with pauses so the hot path's writes interleave.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Whether this instance deletes old rows at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The wait between two passes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Rows per DELETE.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>The wait between two batches.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan Pause { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Keep:{table} changes one table's age (0 keeps everything).</summary>
    public Dictionary<string, TimeSpan> Keep { get; set; } = [];

    public TimeSpan KeepFor(RetentionRule rule) => Keep.GetValueOrDefault(rule.Table, rule.Keep);
}
