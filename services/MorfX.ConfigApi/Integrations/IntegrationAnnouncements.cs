using MorfX.ConfigApi.Data;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;
using MorfX.Rules;

namespace MorfX.ConfigApi.Integrations;

/// <summary>
/// IntegrationChanged (no secrets in it), written into the same SaveChanges as the change, so both commit or neither: a
/// saved change is always announced, right after the commit (<see cref="PublishAsync"/>) or by the outbox dispatcher once
/// the broker is back. The same SaveChanges adds it to the change feed (<see cref="IntegrationChange"/>), which every
/// service's look-up cache polls: the event is the fast path, the feed the one a lost message cannot defeat.
/// </summary>
public sealed class IntegrationAnnouncements(ConfigDbContext db, Outbox<ConfigDbContext> outbox)
{
    public void Add(IntegrationChanged change)
    {
        outbox.Add(DeterministicGuid.Create(change.WorkspaceId,
            $"integration-changed:{change.Integration}:{change.Status}:{change.ChangedAt.UtcTicks}:{change.IanaTimezone}"), change);
        db.IntegrationChanges.Add(new IntegrationChange
        {
            WorkspaceId = change.WorkspaceId, Integration = change.Integration, ShopDomain = change.ShopDomain, ChangedAt = change.ChangedAt,
        });
    }

    /// <summary>After the commit: publishes what <see cref="Add"/> wrote; the caller does not wait for a broker that is down.</summary>
    public Task PublishAsync(CancellationToken ct) => outbox.FlushAsync(ct);
}
