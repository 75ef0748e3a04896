using System.Collections.Concurrent;

namespace MorfX.Messaging.Fairness;

/// <summary>A token bucket per workspace: <see cref="FairnessOptions.Burst"/> at once, refilled at <see cref="FairnessOptions.PerSecond"/>.</summary>
public sealed class WorkspaceBudgets(FairnessOptions options, TimeProvider clock)
{
    // Beyond this many workspaces, buckets that are full again (their workspace is quiet) are forgotten.
    const int PruneAbove = 10_000;

    sealed class Bucket(double tokens, long at)
    {
        public double Tokens = tokens;
        public long At = at;
    }

    readonly ConcurrentDictionary<Guid, Bucket> _buckets = new();

    /// <summary>Takes one token from the workspace's bucket; false when it is empty (the workspace is over its share).</summary>
    public bool TryTake(Guid workspaceId)
    {
        var now = clock.GetTimestamp();
        if (_buckets.Count > PruneAbove) Prune(now);
        var bucket = _buckets.GetOrAdd(workspaceId, _ => new Bucket(options.Burst, now));
        lock (bucket)
        {
            Refill(bucket, now);
            if (bucket.Tokens < 1) return false;
            bucket.Tokens -= 1;
            return true;
        }
    }

    void Refill(Bucket bucket, long now)
    {
        var elapsed = clock.GetElapsedTime(bucket.At, now).TotalSeconds;
        bucket.Tokens = Math.Min(options.Burst, bucket.Tokens + elapsed * options.PerSecond);
        bucket.At = now;
    }

    void Prune(long now)
    {
        foreach (var (id, bucket) in _buckets)
            lock (bucket)
            {
                Refill(bucket, now);
                if (bucket.Tokens >= options.Burst) _buckets.TryRemove(id, out _);
            }
    }
}
