using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.ServiceDefaults.Messaging;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// Auto-sync of Shopify orders into the CRM store: upsert the contact (by phone, then email) and create the order
/// once per Shopify order id (a unique index backs it under concurrent redelivery). Also keeps the last seen copy
/// of each order, which "changed to" conditions compare with.
/// </summary>
public sealed class ShopifyOrderSync(EngineDbContext db, EngineOutbox outbox)
{
    public async Task<Contact?> SyncAsync(ITriggerEvent e, ShopifyOrder o, CancellationToken ct)
    {
        var contact = await UpsertContactAsync(e, o, ct);
        if (o.Id is not { } shopifyId) return contact;

        var externalId = shopifyId.ToString(CultureInfo.InvariantCulture);
        var order = await db.Orders.FirstOrDefaultAsync(x =>
            x.WorkspaceId == e.WorkspaceId && x.Source == Order.ShopifySource && x.ExternalId == externalId, ct);
        if (order is not null)
        {
            order.PaymentStatus = o.FinancialStatus ?? order.PaymentStatus;
            order.Total = o.TotalPrice ?? order.Total;
            order.UpdatedAt = DateTimeOffset.UtcNow;
            return contact;
        }
        var now = DateTimeOffset.UtcNow;
        order = new Order
        {
            Id = DeterministicGuid.Create(e.EventId, "crm-order"), WorkspaceId = e.WorkspaceId, ContactId = contact?.Id,
            Source = Order.ShopifySource, ExternalId = externalId, Number = o.Name, Total = o.TotalPrice, Currency = o.Currency,
            PaymentStatus = o.FinancialStatus, CreatedAt = now, UpdatedAt = now,
        };
        db.Orders.Add(order);
        var eventId = DeterministicGuid.Create(e.EventId, "crm-order-created");
        outbox.Add(eventId, new CrmOrderCreated(eventId, e.WorkspaceId, now, order.ToMessage(), contact?.ToMessage(), 1));
        return contact;
    }

    async Task<Contact?> UpsertContactAsync(ITriggerEvent e, ShopifyOrder o, CancellationToken ct)
    {
        var phone = TriggerVariables.CustomerPhone(o) is { } p && PhoneNumbers.IsE164(p) ? p : null;
        var email = TriggerVariables.CustomerEmail(o)?.Trim().ToLowerInvariant();
        var name = TriggerVariables.CustomerName(o);
        if (phone is null && string.IsNullOrEmpty(email)) return null;

        var contact = phone is null ? null
            : await db.Contacts.FirstOrDefaultAsync(c => c.WorkspaceId == e.WorkspaceId && c.Phone == phone, ct);
        if (contact is null && !string.IsNullOrEmpty(email))
            contact = await db.Contacts.FirstOrDefaultAsync(c => c.WorkspaceId == e.WorkspaceId && c.Email == email, ct);
        var now = DateTimeOffset.UtcNow;
        if (contact is not null)
        {
            // Fill what the CRM did not know; never overwrite what a user may have edited.
            contact.Phone ??= phone;
            contact.Email ??= email;
            contact.Name ??= name;
            contact.UpdatedAt = now;
            return contact;
        }
        contact = new Contact
        {
            Id = DeterministicGuid.Create(e.EventId, "crm-contact"), WorkspaceId = e.WorkspaceId, Name = name, Email = email, Phone = phone,
            Tags = [], Source = Order.ShopifySource, CreatedAt = now, UpdatedAt = now,
        };
        db.Contacts.Add(contact);
        var eventId = DeterministicGuid.Create(e.EventId, "crm-contact-created");
        outbox.Add(eventId, new CrmContactCreated(eventId, e.WorkspaceId, now, contact.ToMessage(), 1));
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
                WorkspaceId = workspaceId, ShopifyOrderId = id, Fields = json, OrderUpdatedAt = o.UpdatedAt, SeenAt = DateTimeOffset.UtcNow,
            });
        // Shopify does not guarantee order: an older delivery never replaces a newer copy.
        else if (last.OrderUpdatedAt is null || o.UpdatedAt is null || o.UpdatedAt >= last.OrderUpdatedAt)
        {
            last.Fields = json;
            last.OrderUpdatedAt = o.UpdatedAt ?? last.OrderUpdatedAt;
            last.SeenAt = DateTimeOffset.UtcNow;
        }
        return previous;
    }
}
