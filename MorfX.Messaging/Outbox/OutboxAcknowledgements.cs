using System.Collections.Concurrent;

namespace MorfX.Messaging.Outbox;

/// <summary>
/// Ids this instance published right after their commit and has not yet marked sent: the dispatcher marks them many at a time
/// (one UPDATE per pass instead of a commit per message) and does not publish them again meanwhile.
/// </summary>
public sealed class OutboxAcknowledgements<TContext>
{
    readonly ConcurrentDictionary<Guid, byte> _published = new();

    public void Published(IEnumerable<Guid> ids)
    {
        foreach (var id in ids) _published.TryAdd(id, 0);
    }

    public bool IsPublished(Guid id) => _published.ContainsKey(id);

    /// <summary>Up to <paramref name="max"/> published ids, still held until <see cref="Marked"/>.</summary>
    public List<Guid> Take(int max) => _published.Keys.Take(max).ToList();

    public void Marked(IEnumerable<Guid> ids)
    {
        foreach (var id in ids) _published.TryRemove(id, out _);
    }

    public int Count => _published.Count;
}
