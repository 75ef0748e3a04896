using MorfX.ConfigApi.Data;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.ServiceDefaults.Outbox;

namespace MorfX.ConfigApi.Apis;

/// <summary>What the integration handlers need, bundled for [AsParameters].</summary>
public class IntegrationServices(
    ConfigDbContext db, SecretProtector secrets, Outbox<ConfigDbContext> outbox, ILogger<IntegrationServices> logger)
{
    public ConfigDbContext Db { get; } = db;
    public SecretProtector Secrets { get; } = secrets;
    public Outbox<ConfigDbContext> Outbox { get; } = outbox;
    public ILogger<IntegrationServices> Logger { get; } = logger;

    /// <summary>
    /// Writes the change's announcement (no secrets in it) into the same SaveChanges as the change, so both commit or neither:
    /// a saved change is always announced, right after the commit (<see cref="PublishAsync"/>) or by the outbox dispatcher
    /// once the broker is back.
    /// </summary>
    public void Announce(IntegrationChanged change) => Announce(Outbox, change);

    public static void Announce(Outbox<ConfigDbContext> outbox, IntegrationChanged change) =>
        outbox.Add(DeterministicGuid.Create(change.WorkspaceId,
            $"integration-changed:{change.Integration}:{change.Status}:{change.ChangedAt.UtcTicks}"), change);

    /// <summary>After the commit: publishes what <see cref="Announce"/> wrote; the answer does not wait for a broker that is down.</summary>
    public Task PublishAsync(CancellationToken ct) => Outbox.FlushAsync(ct);
}
