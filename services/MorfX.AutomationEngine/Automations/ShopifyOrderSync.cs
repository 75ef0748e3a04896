using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.ServiceDefaults.Messaging;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// Auto-sync of Shopify orders into the CRM store: one contact per customer and one order per Shopify order, each
/// written as an upsert (INSERT … ON CONFLICT DO NOTHING on the unique indexes), so orders/create and orders/updated
/// of a new customer racing on two queues create one contact, and only the writer that inserted it announces
/// crm.contact_created. Runs inside the caller's transaction. Also keeps the last seen copy of each order, which
/// "changed to" conditions compare with.
/// </summary>
public sealed class ShopifyOrderSync(EngineDbContext db, EngineOutbox outbox)
{
    public async Task<Contact?> SyncAsync(ITriggerEvent e, ShopifyOrder o, CancellationToken ct)
    {
        var contact = await UpsertContactAsync(e, o, ct);
        if (o.Id is not { } shopifyId) return contact;

        var now = DateTimeOffset.UtcNow;
        var externalId = shopifyId.ToString(CultureInfo.InvariantCulture);
        var orderId = DeterministicGuid.Create(e.EventId, "crm-order");
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO orders (id, workspace_id, contact_id, source, external_id, number, total, currency, payment_status,
                                shopify_customer_id, created_at, updated_at)
            VALUES ({orderId}, {e.WorkspaceId}, {contact?.Id}, {Order.ShopifySource}, {externalId}, {o.Name}, {o.TotalPrice},
                    {o.Currency}, {o.FinancialStatus}, {o.Customer?.Id}, {now}, {now})
            ON CONFLICT DO NOTHING
            """, ct);
        var order = await db.Orders.SingleAsync(x =>
            x.WorkspaceId == e.WorkspaceId && x.Source == Order.ShopifySource && x.ExternalId == externalId, ct);
        if (inserted == 1)
        {
            var eventId = DeterministicGuid.Create(e.EventId, "crm-order-created");
            outbox.Add(eventId, new CrmOrderCreated(eventId, e.WorkspaceId, now, order.ToMessage(), contact?.ToMessage(), 1, e.EventId));
            return contact;
        }
        order.PaymentStatus = o.FinancialStatus ?? order.PaymentStatus;
        order.Total = o.TotalPrice ?? order.Total;
        order.ContactId ??= contact?.Id;
        order.UpdatedAt = now;
        return contact;
    }

    async Task<Contact?> UpsertContactAsync(ITriggerEvent e, ShopifyOrder o, CancellationToken ct)
    {
        var phone = TriggerVariables.CustomerPhone(o) is { } p && PhoneNumbers.IsE164(p) ? p : null;
        var email = TriggerVariables.CustomerEmail(o)?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(email)) email = null;
        var name = TriggerVariables.CustomerName(o);
        if (phone is null && email is null) return null;

        var now = DateTimeOffset.UtcNow;
        var id = DeterministicGuid.Create(e.EventId, "crm-contact");
        // A concurrent writer of the same phone or email waits here on the unique index until it commits, then
        // inserts nothing and finds its contact below.
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO contacts (id, workspace_id, name, email, phone, tags, source, shopify_customer_id, created_at, updated_at)
            VALUES ({id}, {e.WorkspaceId}, {name}, {email}, {phone}, {Array.Empty<string>()}, {Order.ShopifySource}, {o.Customer?.Id}, {now}, {now})
            ON CONFLICT DO NOTHING
            """, ct);
        var contact = inserted == 1
            ? await db.Contacts.SingleAsync(c => c.Id == id, ct)
            : (phone is null ? null : await db.Contacts.SingleOrDefaultAsync(c => c.WorkspaceId == e.WorkspaceId && c.Phone == phone, ct))
              ?? (email is null ? null : await db.Contacts.SingleOrDefaultAsync(c => c.WorkspaceId == e.WorkspaceId && c.Email == email, ct));
        if (contact is null) return null;
        if (inserted == 1)
        {
            var eventId = DeterministicGuid.Create(e.EventId, "crm-contact-created");
            outbox.Add(eventId, new CrmContactCreated(eventId, e.WorkspaceId, now, contact.ToMessage(), 1, e.EventId));
            return contact;
        }
        // Fill what the CRM did not know; never overwrite what a user may have edited, nor take a value another contact holds.
        if (contact.Phone is null && phone is not null && !await db.Contacts.AnyAsync(c => c.WorkspaceId == e.WorkspaceId && c.Phone == phone, ct))
            contact.Phone = phone;
        if (contact.Email is null && email is not null && !await db.Contacts.AnyAsync(c => c.WorkspaceId == e.WorkspaceId && c.Email == email, ct))
            contact.Email = email;
        contact.Name ??= name;
        contact.ShopifyCustomerId ??= o.Customer?.Id;
        contact.UpdatedAt = now;
        return contact;
    }

    /// <summary>The previous copy of the order's fields (null when never seen), and records the current one unless it is older.</summary>
    public async Task<IReadOnlyDictionary<string, string?>?> SwapLastCopyAsync(
        Guid workspaceId, ShopifyOrder o, Dictionary<string, string?> fields, CancellationToken ct)
    {
        if (o.Id is not { } id) return null;
        var last = await db.LastShopifyOrders.FirstOrDefaultAsync(x => x.WorkspaceId == workspaceId && x.ShopifyOrderId == id, ct);
        var previous = last is null ? null : JsonSerializer.Deserialize<Dictionary<string, string?>>(last.Fields);
        var json = JsonSerializer.Serialize(fields);
        if (last is null)
            db.LastShopifyOrders.Add(new LastShopifyOrder
            {
                WorkspaceId = workspaceId, ShopifyOrderId = id, ShopifyCustomerId = o.Customer?.Id, Fields = json,
                OrderUpdatedAt = o.UpdatedAt, SeenAt = DateTimeOffset.UtcNow,
            });
        // Shopify does not guarantee order: an older delivery never replaces a newer copy.
        else if (last.OrderUpdatedAt is null || o.UpdatedAt is null || o.UpdatedAt >= last.OrderUpdatedAt)
        {
            last.Fields = json;
            last.OrderUpdatedAt = o.UpdatedAt ?? last.OrderUpdatedAt;
            last.ShopifyCustomerId ??= o.Customer?.Id;
            last.SeenAt = DateTimeOffset.UtcNow;
        }
        return previous;
    }
}
