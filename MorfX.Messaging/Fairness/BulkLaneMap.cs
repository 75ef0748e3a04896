namespace MorfX.Messaging.Fairness;

/// <summary>
/// Which messages have a bulk lane, the lane's queue, and whose workspace a message is. The names are a contract between
/// services, so they live with the messages (MorfX.Contracts.BulkLanes); a service hands them to the wiring with
/// <see cref="FairnessExtensions.AddBulkLanes"/>. Without it no message has a lane: everything is published to its shared queue.
/// </summary>
public sealed class BulkLaneMap(IReadOnlyDictionary<Type, string> queues, Func<object, Guid?> workspaceOf)
{
    public static readonly BulkLaneMap None = new(new Dictionary<Type, string>(), _ => null);

    /// <summary>The lane's queue for a consumer's endpoint; a consumer registered as fair without a lane is a start-up error.</summary>
    public string QueueOf(Type messageType) => queues.TryGetValue(messageType, out var queue)
        ? queue
        : throw new InvalidOperationException($"{messageType.Name} has no bulk lane: add it to the lanes given to AddBulkLanes.");

    /// <summary>The lane and workspace of a message that has both; false for any other message.</summary>
    public bool TryGetLane(object message, Type messageType, out string queue, out Guid workspaceId)
    {
        workspaceId = default;
        if (!queues.TryGetValue(messageType, out queue!) || workspaceOf(message) is not { } workspace) return false;
        workspaceId = workspace;
        return true;
    }
}
