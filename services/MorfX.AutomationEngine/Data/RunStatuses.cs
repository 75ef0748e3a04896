
namespace MorfX.AutomationEngine.Data;

public static class RunStatuses
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    /// <summary>A run held by a wait or a send window; its waiting step says until when (resumeAt).</summary>
    public const string Waiting = "waiting";
}
