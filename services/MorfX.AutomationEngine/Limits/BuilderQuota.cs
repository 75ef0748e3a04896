using System.Threading.RateLimiting;

namespace MorfX.AutomationEngine.Limits;

/// <summary>
/// AI builder requests per workspace per hour (<see cref="EngineLimitsOptions.BuilderRequestsPerHour"/>), a sliding window kept
/// in this engine instance: each request costs model calls paid by the platform, whoever's workspace sends them.
/// </summary>
public sealed class BuilderQuota(EngineLimitsOptions limits) : IDisposable
{
    readonly PartitionedRateLimiter<Guid> _limiter = PartitionedRateLimiter.Create<Guid, Guid>(workspaceId =>
        RateLimitPartition.GetSlidingWindowLimiter(workspaceId, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = limits.BuilderRequestsPerHour, Window = TimeSpan.FromHours(1), SegmentsPerWindow = 12, QueueLimit = 0,
        }));

    public bool TryTake(Guid workspaceId)
    {
        using var lease = _limiter.AttemptAcquire(workspaceId);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
