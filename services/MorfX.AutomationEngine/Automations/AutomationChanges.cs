using MassTransit;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// After an automation write commits: this instance's cache drops the workspace at once (the next order sees the change),
/// and <see cref="AutomationsChanged"/> tells the other instances. If that publish fails, their copies expire with the cache's TTL.
/// </summary>
public sealed partial class AutomationChanges(WorkspaceCache cache, IBus bus, ILogger<AutomationChanges> logger)
{
    public async Task SavedAsync(Guid workspaceId, CancellationToken ct)
    {
        cache.InvalidateAutomations(workspaceId);
        try { await bus.Publish(new AutomationsChanged(workspaceId), ct); }
        catch (Exception e) when (e is not OperationCanceledException) { LogNotAnnounced(workspaceId, e.GetType().Name); }
    }

    [LoggerMessage(2601, LogLevel.Warning, "Automations of workspace {WorkspaceId} changed, but other instances were not told ({ErrorType}); their cached copies expire shortly")]
    partial void LogNotAnnounced(Guid workspaceId, string errorType);
}
