using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using MorfX.AutomationEngine.Data;
using MorfX.AutomationEngine.Limits;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// The hot path's reads, kept in memory per workspace: its enabled automations (per trigger, oldest first, capped at
/// <see cref="EngineLimitsOptions.MaxEnabledAutomationsPerTrigger"/>), its integrations and its messaging settings. Entries are
/// dropped by the events that change them (automation writes of this instance directly, <see cref="AutomationsChanged"/>,
/// IntegrationChanged and WorkspaceMessagingChanged on a per-instance queue), and expire anyway after <see cref="Ttl"/> in case such an event was missed. Each cache is bounded
/// (Engine:MaxCachedWorkspaces): a full cache stops adding until entries expire, and the readers then read the database.
/// A batch first <see cref="PrimeAsync">primes</see> the cache with what its workspaces lack, one query per cache: a burst
/// after a quiet spell (every workspace's entries expired) costs two reads, not two per workspace one after another.
/// </summary>
public sealed class WorkspaceCache(EngineLimitsOptions limits, int maxWorkspaces = 10_000) : IDisposable
{
    static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    readonly MemoryCache _automations = new(new MemoryCacheOptions { SizeLimit = maxWorkspaces });
    readonly MemoryCache _integrations = new(new MemoryCacheOptions { SizeLimit = maxWorkspaces });
    // Not primed: only marketing sends read it.
    readonly MemoryCache _messaging = new(new MemoryCacheOptions { SizeLimit = maxWorkspaces });
    // Bumped by every invalidation: a read that started before one does not store what it read (it may be older).
    long _generation;

    /// <summary>The workspace's enabled automations on the trigger, in the order they run.</summary>
    public async Task<IReadOnlyList<Automation>> EnabledAutomationsAsync(EngineDbContext db, Guid workspaceId, string trigger, CancellationToken ct)
    {
        var byTrigger = await GetAsync(_automations, workspaceId, async () => ByTrigger(await EnabledAsync(db, [workspaceId], ct)));
        return byTrigger.TryGetValue(trigger, out var automations) ? automations : [];
    }

    /// <summary>Reads the automations and integrations of the workspaces the caches lack, one query each, and caches them.</summary>
    public async Task PrimeAsync(EngineDbContext db, IEnumerable<Guid> workspaceIds, CancellationToken ct)
    {
        var ids = workspaceIds.Distinct().ToList();
        await PrimeAsync(_automations, ids, async missing =>
        {
            var enabled = (await EnabledAsync(db, missing, ct)).ToLookup(a => a.WorkspaceId);
            return missing.ToDictionary(id => id, id => ByTrigger(enabled[id]));
        });
        await PrimeAsync(_integrations, ids, missing => db.IntegrationsOfAsync(missing, ct));
    }

    static Task<List<Automation>> EnabledAsync(EngineDbContext db, List<Guid> workspaceIds, CancellationToken ct) =>
        db.Automations.AsNoTracking().Where(a => workspaceIds.Contains(a.WorkspaceId) && a.Enabled).OrderBy(a => a.CreatedAt).ToListAsync(ct);

    Dictionary<string, Automation[]> ByTrigger(IEnumerable<Automation> enabled) =>
        enabled.GroupBy(a => a.Trigger).ToDictionary(g => g.Key, g => g.Take(limits.MaxEnabledAutomationsPerTrigger).ToArray());

    /// <summary>Whether anything would consume the workspace's event of this trigger (only the engine consumes CRM and task events).</summary>
    public async Task<bool> HasEnabledAutomationAsync(EngineDbContext db, Guid workspaceId, string trigger, CancellationToken ct) =>
        (await EnabledAutomationsAsync(db, workspaceId, trigger, ct)).Count > 0;

    public Task<WorkspaceIntegrations> IntegrationsAsync(EngineDbContext db, Guid workspaceId, CancellationToken ct) =>
        GetAsync(_integrations, workspaceId, () => db.IntegrationsOfAsync(workspaceId, ct));

    public Task<WorkspaceMessaging> MessagingAsync(EngineDbContext db, Guid workspaceId, CancellationToken ct) =>
        GetAsync(_messaging, workspaceId, () => db.MessagingOfAsync(workspaceId, ct));

    public void InvalidateAutomations(Guid workspaceId) => Invalidate(_automations, workspaceId);

    public void InvalidateMessaging(Guid workspaceId) => Invalidate(_messaging, workspaceId);

    public void InvalidateIntegrations(Guid workspaceId) => Invalidate(_integrations, workspaceId);

    void Invalidate(MemoryCache cache, Guid workspaceId)
    {
        Interlocked.Increment(ref _generation);
        cache.Remove(workspaceId);
    }

    async Task<T> GetAsync<T>(MemoryCache cache, Guid workspaceId, Func<Task<T>> read) where T : class
    {
        if (cache.TryGetValue(workspaceId, out T? cached)) return cached!;
        var generation = Interlocked.Read(ref _generation);
        var value = await read();
        Store(cache, workspaceId, value, generation);
        return value;
    }

    async Task PrimeAsync<T>(MemoryCache cache, List<Guid> workspaceIds, Func<List<Guid>, Task<Dictionary<Guid, T>>> read) where T : class
    {
        // A full cache would not keep what a prime reads: the readers then read each workspace themselves, as before.
        var missing = cache.Count >= maxWorkspaces ? [] : workspaceIds.Where(id => !cache.TryGetValue(id, out _)).ToList();
        if (missing.Count == 0) return;
        var generation = Interlocked.Read(ref _generation);
        foreach (var (id, value) in await read(missing)) Store(cache, id, value, generation);
    }

    /// <summary>Caches what was read, unless an invalidation came since the read began (what it read may be older).</summary>
    void Store<T>(MemoryCache cache, Guid workspaceId, T value, long generation)
    {
        if (Interlocked.Read(ref _generation) != generation) return;
        cache.Set(workspaceId, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Ttl, Size = 1 });
        // An invalidation between the check and the store: drop what was stored.
        if (Interlocked.Read(ref _generation) != generation) cache.Remove(workspaceId);
    }

    public void Dispose()
    {
        _automations.Dispose();
        _integrations.Dispose();
        _messaging.Dispose();
    }
}
