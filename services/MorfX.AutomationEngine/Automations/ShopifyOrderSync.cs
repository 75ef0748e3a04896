using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.Rules;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// Auto-sync of a batch of Shopify orders into the CRM store: one contact per customer and one order per Shopify order.
/// The contacts and orders the batch may touch are read in one query each, matched in memory in the batch's order (two
/// orders of one new customer make one contact), and the new ones are inserted with the caller's SaveChanges, in its
/// transaction. A concurrent writer of the same contact or order (orders/create and orders/updated of a new customer on
/// two queues) makes that insert fail on the unique index; the batch is then retried whole and finds the row, so only
/// the writer that inserted it announces crm.contact_created.
/// </summary>
public sealed class ShopifyOrderSync(EngineDbContext db, FanOutEvents fanOut)
{
    record Customer(ShopifyTrigger Trigger, string? Phone, string? Email, string? Name);

    /// <summary>The contact of each event (null when the order names no usable phone or email), by event id.</summary>
    public async Task<Dictionary<Guid, Contact?>> SyncAsync(IReadOnlyList<ShopifyTrigger> batch, IReadOnlySet<Guid> outdated, CancellationToken ct)
    {
        var contacts = await UpsertContactsAsync(batch, ct);
        await UpsertOrdersAsync(batch, contacts, outdated, ct);
        return contacts;
    }

    async Task<Dictionary<Guid, Contact?>> UpsertContactsAsync(IReadOnlyList<ShopifyTrigger> batch, CancellationToken ct)
    {
        var customers = batch.Select(t => new Customer(t,
            TriggerVariables.CustomerPhone(t.Order) is { } p && PhoneNumbers.IsE164(p) ? p : null,
            TriggerVariables.CustomerEmail(t.Order)?.Trim().ToLowerInvariant() is { Length: > 0 } email ? email : null,
            TriggerVariables.CustomerName(t.Order))).ToList();
        var withPhone = customers.Where(c => c.Phone is not null).ToList();
        var withEmail = customers.Where(c => c.Email is not null).ToList();
        var (phoneWorkspaces, phones) = (withPhone.Select(c => c.Trigger.Event.WorkspaceId).ToArray(), withPhone.Select(c => c.Phone!).ToArray());
        var (emailWorkspaces, emails) = (withEmail.Select(c => c.Trigger.Event.WorkspaceId).ToArray(), withEmail.Select(c => c.Email!).ToArray());
        // Every contact holding one of the batch's phones or emails: enough to match, and to know a value is already taken.
        // Two joins, not one OR: each uses its unique index (an OR of two IN lists scans the table).
        var known = withPhone.Count + withEmail.Count == 0 ? [] : await db.Contacts.FromSql($"""
            SELECT c.* FROM contacts c WHERE c.id IN (
                SELECT p.id FROM contacts p JOIN unnest({phoneWorkspaces}, {phones}) AS k (workspace_id, phone)
                    ON p.workspace_id = k.workspace_id AND p.phone = k.phone
                UNION ALL
                SELECT e.id FROM contacts e JOIN unnest({emailWorkspaces}, {emails}) AS k (workspace_id, email)
                    ON e.workspace_id = k.workspace_id AND e.email = k.email)
            """).ToListAsync(ct);

        var now = DateTimeOffset.UtcNow;
        var result = new Dictionary<Guid, Contact?>();
        var created = new List<(ShopifyTrigger Trigger, Contact Contact)>();
        foreach (var c in customers)
        {
            var (e, o) = (c.Trigger.Event, c.Trigger.Order);
            if (c.Phone is null && c.Email is null) { result[e.EventId] = null; continue; }
            var contact = Holder(known, e.WorkspaceId, c.Phone, null) ?? Holder(known, e.WorkspaceId, null, c.Email);
            if (contact is null)
            {
                contact = new Contact
                {
                    Id = DeterministicGuid.Create(e.EventId, "crm-contact"), WorkspaceId = e.WorkspaceId, Name = c.Name, Email = c.Email, Phone = c.Phone,
                    Source = Order.ShopifySource, ShopifyCustomerId = o.Customer?.Id, CreatedAt = now, UpdatedAt = now,
                };
                db.Contacts.Add(contact);
                known.Add(contact);
                created.Add((c.Trigger, contact));
            }
            else
            {
                // Fill what the CRM did not know; never overwrite what a user may have edited, nor take a value another contact holds.
                if (contact.Phone is null && c.Phone is not null && Holder(known, e.WorkspaceId, c.Phone, null) is null) contact.Phone = c.Phone;
                if (contact.Email is null && c.Email is not null && Holder(known, e.WorkspaceId, null, c.Email) is null) contact.Email = c.Email;
                contact.Name ??= c.Name;
                contact.ShopifyCustomerId ??= o.Customer?.Id;
                contact.UpdatedAt = now;
            }
            result[e.EventId] = contact;
        }
        foreach (var (t, contact) in created)
        {
            var (e, o) = (t.Event, t.Order);
            var eventId = DeterministicGuid.Create(e.EventId, "crm-contact-created");
            await fanOut.AddAsync(new CrmContactCreated(eventId, e.WorkspaceId, now, contact.ToMessage(), 1, e.EventId)
            {
                Shopify = new(o.Id, o.Customer?.Id),
            }, ct);
        }
        return result;
    }

    static Contact? Holder(List<Contact> known, Guid workspaceId, string? phone, string? email) =>
        known.FirstOrDefault(k => k.WorkspaceId == workspaceId && ((phone != null && k.Phone == phone) || (email != null && k.Email == email)));

    /// <summary>Creates or updates each order's CRM copy; an outdated state (see ShopifyOrderCopies.IsOutdated) never rolls one back.</summary>
    async Task UpsertOrdersAsync(IReadOnlyList<ShopifyTrigger> batch, Dictionary<Guid, Contact?> contacts, IReadOnlySet<Guid> outdated, CancellationToken ct)
    {
        var keyed = batch.Where(t => t.Order.Id is not null).ToList();
        if (keyed.Count == 0) return;
        var workspaces = keyed.Select(t => t.Event.WorkspaceId).ToArray();
        var externalIds = keyed.Select(t => ExternalId(t.Order)).ToArray();
        var known = await db.Orders.FromSql($"""
            SELECT o.* FROM orders o
            WHERE o.source = {Order.ShopifySource} AND (o.workspace_id, o.external_id) IN (SELECT * FROM unnest({workspaces}, {externalIds}))
            """).ToListAsync(ct);

        var now = DateTimeOffset.UtcNow;
        foreach (var (e, o) in keyed)
        {
            var contact = contacts.GetValueOrDefault(e.EventId);
            var externalId = ExternalId(o);
            var order = known.FirstOrDefault(k => k.WorkspaceId == e.WorkspaceId && k.ExternalId == externalId);
            if (order is not null)
            {
                order.ContactId ??= contact?.Id;
                if (outdated.Contains(e.EventId)) continue;
                order.PaymentStatus = o.FinancialStatus ?? order.PaymentStatus;
                order.Total = o.TotalPrice ?? order.Total;
                order.UpdatedAt = now;
                continue;
            }
            order = new Order
            {
                Id = DeterministicGuid.Create(e.EventId, "crm-order"), WorkspaceId = e.WorkspaceId, ContactId = contact?.Id, Source = Order.ShopifySource,
                ExternalId = externalId, Number = o.Name, Total = o.TotalPrice, Currency = o.Currency, PaymentStatus = o.FinancialStatus,
                ShopifyCustomerId = o.Customer?.Id, CreatedAt = now, UpdatedAt = now,
            };
            db.Orders.Add(order);
            known.Add(order);
            var eventId = DeterministicGuid.Create(e.EventId, "crm-order-created");
            await fanOut.AddAsync(new CrmOrderCreated(eventId, e.WorkspaceId, now, order.ToMessage(), contact?.ToMessage(), 1, e.EventId)
            {
                Shopify = new(o.Id, o.Customer?.Id),
            }, ct);
        }
    }

    static string ExternalId(ShopifyOrder o) => o.Id!.Value.ToString(CultureInfo.InvariantCulture);
}
