using MorfX.UsageApi.Queries;

namespace MorfX.UsageApi.Apis;

/// <summary>What the handlers need, bundled eShop-style.</summary>
public sealed class SmsUsageServices(SmsUsageQuery query, TimeProvider clock)
{
    public SmsUsageQuery Query { get; } = query;
    public TimeProvider Clock { get; } = clock;
}
