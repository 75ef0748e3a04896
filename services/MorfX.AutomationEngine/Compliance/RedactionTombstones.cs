using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.Data.Redaction;

namespace MorfX.AutomationEngine.Compliance;

/// <summary>
/// What the engine remembers of a redacted Shopify customer (their Shopify ids, phones and emails) or shop, as keyed hashes
/// (redacted_customers): a trigger or CRM event that names them and happened before the redaction is still queued, and must
/// neither re-create the contact and order nor run automations for them. What happens after the redaction is new.
/// </summary>
public sealed class RedactionTombstones(EngineDbContext db, RedactionHasher hasher)
{
    /// <summary>The key of a whole shop's redaction: every Shopify event of the workspace from before it.</summary>
    const string Shop = "shop";

    public static List<string> Keys(long? customerId, IEnumerable<long> orderIds, IEnumerable<string?> phones, IEnumerable<string?> emails) =>
    [
        .. customerId is { } id ? [$"customer:{id}"] : Array.Empty<string>(),
        .. orderIds.Select(o => $"order:{o}"),
        .. phones.OfType<string>().Where(p => p.Length > 0).Select(p => $"phone:{p}"),
        .. emails.OfType<string>().Where(e => e.Length > 0).Select(e => $"email:{e.Trim().ToLowerInvariant()}"),
    ];

    /// <summary>Remembers the keys, in the caller's transaction.</summary>
    public Task RememberAsync(Guid workspaceId, IEnumerable<string> keys, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO redacted_customers (workspace_id, key_hash, redacted_at)
            SELECT {workspaceId}, h, now() FROM unnest({hasher.Hash(workspaceId, keys)}) AS h
            ON CONFLICT (workspace_id, key_hash) DO UPDATE SET redacted_at = EXCLUDED.redacted_at
            """, ct);

    public Task RememberShopAsync(Guid workspaceId, CancellationToken ct) => RememberAsync(workspaceId, [Shop], ct);

    /// <summary>The events that name a redacted customer (or shop) and happened before its redaction: one query.</summary>
    public async Task<HashSet<Guid>> RedactedAsync(IEnumerable<ITriggerEvent> events, CancellationToken ct)
    {
        var keyed = events.Select(e => (Event: e, Hashes: hasher.Hash(e.WorkspaceId, KeysOf(e)))).Where(k => k.Hashes.Length > 0).ToList();
        if (keyed.Count == 0) return [];
        var hashes = keyed.SelectMany(k => k.Hashes).ToList();
        var workspaces = keyed.Select(k => k.Event.WorkspaceId).Distinct().ToList();
        var stones = await db.RedactedCustomers.AsNoTracking()
            .Where(r => workspaces.Contains(r.WorkspaceId) && hashes.Contains(r.KeyHash)).ToListAsync(ct);
        return [.. keyed.Where(k => stones.Any(s => s.WorkspaceId == k.Event.WorkspaceId && k.Event.OccurredAt <= s.RedactedAt
            && k.Hashes.Any(h => h.AsSpan().SequenceEqual(s.KeyHash)))).Select(k => k.Event.EventId)];
    }

    static List<string> KeysOf(ITriggerEvent e) => e switch
    {
        IShopifyOrderEvent s => [Shop, .. Keys(s.Order.Customer?.Id, s.Order.Id is { } id ? [id] : [],
            [TriggerVariables.CustomerPhone(s.Order)], [TriggerVariables.CustomerEmail(s.Order)])],
        CrmContactCreated c => FanOut(c, c.Contact),
        CrmTagAdded c => FanOut(c, c.Contact),
        CrmOrderCreated c => FanOut(c, c.Contact),
        IFanOutEvent f => FanOut(f, null),
        WhatsAppMessageReceived w => Keys(null, [], [w.From], []),
        _ => [],
    };

    static List<string> FanOut(IFanOutEvent e, CrmContact? contact) =>
    [
        .. e.Shopify is { } o ? [Shop, .. Keys(o.CustomerId, o.OrderId is { } id ? [id] : [], [], [])] : Array.Empty<string>(),
        .. Keys(null, [], [contact?.Phone], [contact?.Email]),
    ];
}
