using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using NpgsqlTypes;
using static MorfX.Data.ArrayParameters;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// Recipients' SMS marketing consent, the latest change per (workspace, phone) by when it was given or withdrawn: Shopify's
/// <c>customer.sms_marketing_consent</c> (at its consent_updated_at; never updated counts as oldest) and inbound START/ALTA
/// or STOP/SALIR (<see cref="SmsConsentChanged"/>). A marketing send_sms reads it (<see cref="AutomationRunner"/>).
/// </summary>
public static class SmsConsents
{
    public const string Subscribed = "subscribed";

    /// <summary>The consent a batch of Shopify orders states for their customers' phones.</summary>
    public static IEnumerable<SmsConsent> FromShopify(Guid workspaceId, ShopifyOrder order) =>
        order.Customer is { Phone: { } phone, SmsMarketingState: { } state } customer
            ? [new SmsConsent
            {
                WorkspaceId = workspaceId, Phone = phone, Subscribed = state == Subscribed, Source = SmsConsent.FromShopify,
                ChangedAt = customer.SmsMarketingUpdatedAt ?? DateTimeOffset.UnixEpoch,
            }]
            : [];

    /// <summary>Keeps each change unless a newer one is stored: one statement for all.</summary>
    public static Task RecordAsync(EngineDbContext db, IReadOnlyList<SmsConsent> changes, CancellationToken ct) =>
        changes.Count == 0 ? Task.CompletedTask : db.Database.ExecuteSqlAsync($"""
            INSERT INTO sms_consents AS c (workspace_id, phone, subscribed, source, changed_at)
            SELECT DISTINCT ON (u.workspace_id, u.phone) u.workspace_id, u.phone, u.subscribed, u.source, u.changed_at
            FROM unnest({Column("workspaces", NpgsqlDbType.Uuid, changes, c => c.WorkspaceId)},
                        {Column("phones", NpgsqlDbType.Text, changes, c => c.Phone)},
                        {Column("subscribed", NpgsqlDbType.Boolean, changes, c => c.Subscribed)},
                        {Column("sources", NpgsqlDbType.Text, changes, c => c.Source)},
                        {Column("changed", NpgsqlDbType.TimestampTz, changes, c => c.ChangedAt)})
                 AS u(workspace_id, phone, subscribed, source, changed_at)
            ORDER BY u.workspace_id, u.phone, u.changed_at DESC
            ON CONFLICT (workspace_id, phone) DO UPDATE
                SET subscribed = EXCLUDED.subscribed, source = EXCLUDED.source, changed_at = EXCLUDED.changed_at
                WHERE c.changed_at <= EXCLUDED.changed_at
            """, ct);
}
