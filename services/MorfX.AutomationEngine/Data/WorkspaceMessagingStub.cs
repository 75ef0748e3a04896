using MorfX.Contracts;

namespace MorfX.AutomationEngine.Data;

// TEMPORARY until the settings branch lands.
public record WorkspaceMessaging(SendWindow MarketingWindow, MarketingFrequencyCap? FrequencyCap)
{
    public static readonly WorkspaceMessaging Default = new(SendWindow.MarketingDefault, null);
}

public static class WorkspaceMessagingStub
{
    public static Task<WorkspaceMessaging> MessagingOfAsync(this EngineDbContext db, Guid workspaceId, CancellationToken ct) =>
        Task.FromResult(WorkspaceMessaging.Default);
}
