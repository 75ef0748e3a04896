
namespace MorfX.AutomationEngine.Data;

public static class RunStatuses
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
}
