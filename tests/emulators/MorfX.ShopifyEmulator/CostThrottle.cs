using System.Diagnostics;

namespace MorfX.ShopifyEmulator;

/// <summary>
/// Shopify's calculated-query-cost limit on the Admin GraphQL API: a leaky bucket per access token that holds up to
/// MaximumAvailable points and refills continuously at RestoreRate points a second. A call's requested cost is taken up
/// front and what it did not use (requested − actual) is given back, so in the end only the actual cost is spent; a call
/// whose requested cost exceeds what is available is refused (THROTTLED) and costs nothing.
/// </summary>
public sealed class CostThrottle
{
    public const double DefaultMaximumAvailable = 2000;
    public const double DefaultRestoreRate = 100;

    readonly Lock _lock = new();
    // What a bucket held at a moment (Stopwatch timestamp); its level now is that plus the refill since, up to the maximum.
    readonly Dictionary<string, (double Available, long At)> _buckets = new(StringComparer.Ordinal);
    double _maximumAvailable = DefaultMaximumAvailable;
    double _restoreRate = DefaultRestoreRate;

    public double MaximumAvailable
    {
        get { lock (_lock) return _maximumAvailable; }
    }

    public double RestoreRate
    {
        get { lock (_lock) return _restoreRate; }
    }

    /// <summary>New limits for every token (the ones not given stay); every bucket starts full again.</summary>
    public void Configure(double? maximumAvailable, double? restoreRate)
    {
        lock (_lock)
        {
            _maximumAvailable = maximumAvailable ?? _maximumAvailable;
            _restoreRate = restoreRate ?? _restoreRate;
            _buckets.Clear();
        }
    }

    public void Reset() => Configure(DefaultMaximumAvailable, DefaultRestoreRate);

    /// <summary>Takes the requested cost when that much is available; either way, what is available afterwards.</summary>
    public (bool Taken, double Available) TryTake(string accessToken, int requested)
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            var level = Level(accessToken, now);
            if (requested > level) return (false, level);
            _buckets[accessToken] = (level - requested, now);
            return (true, level - requested);
        }
    }

    /// <summary>Gives back points taken but not used; what is available afterwards.</summary>
    public double Refund(string accessToken, int points)
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            var level = Math.Min(_maximumAvailable, Level(accessToken, now) + Math.Max(0, points));
            _buckets[accessToken] = (level, now);
            return level;
        }
    }

    /// <summary>What the token's bucket holds now, without taking anything.</summary>
    public double Available(string accessToken)
    {
        lock (_lock) return Level(accessToken, Stopwatch.GetTimestamp());
    }

    double Level(string accessToken, long now) =>
        _buckets.TryGetValue(accessToken, out var bucket)
            ? Math.Min(_maximumAvailable, bucket.Available + Stopwatch.GetElapsedTime(bucket.At, now).TotalSeconds * _restoreRate)
            : _maximumAvailable;
}
