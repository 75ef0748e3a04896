using System.ComponentModel.DataAnnotations;

namespace MorfX.AutomationEngine.Automations;

/// <summary>How often the engine looks for waiting runs that are due (section Resumer), and how many it takes at once.</summary>
public sealed class RunResumerOptions
{
    public const string Section = "Resumer";

    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(1, 10_000)] public int BatchSize { get; set; } = 100;
}
