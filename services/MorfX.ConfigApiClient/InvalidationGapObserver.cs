using MassTransit;
using Microsoft.Extensions.Logging;

namespace MorfX.ConfigApiClient;

/// <summary>
/// The invalidation queue is temporary (auto-delete): while the broker connection is down it is gone, and an IntegrationChanged
/// published meanwhile never reaches this instance. So whenever that queue becomes ready (at start and after every reconnect)
/// everything cached before is dropped: a credential deleted or rotated during the gap is not served from the cache after it.
/// </summary>
public sealed partial class InvalidationGapObserver(IntegrationLookup lookup, ILogger<InvalidationGapObserver> logger) : IReceiveEndpointObserver
{
    public const string EndpointName = "integration-changed-cache-invalidator";

    public Task Ready(ReceiveEndpointReady ready)
    {
        if (!ready.InputAddress.AbsolutePath.Contains(EndpointName, StringComparison.Ordinal)) return Task.CompletedTask;
        lookup.InvalidationQueue = ready.InputAddress;
        var dropped = lookup.InvalidateAll();
        if (dropped > 0) LogDropped(dropped);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    [LoggerMessage(EventId = 8501, Level = LogLevel.Information, Message = "Invalidation queue ready again: {Count} cached look-ups dropped, since changes may have been missed")]
    partial void LogDropped(int count);
}
