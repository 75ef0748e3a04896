using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.ServiceDefaults.Outbox;

namespace MorfX.AutomationEngine.Compliance;

/// <summary>
/// What the engine holds about one Shopify customer (or every Shopify customer of a shop), found by Shopify customer
/// id, email, phone and order ids: the CRM copy made by auto-sync (contacts and orders), the last-order snapshots, and
/// the runs those orders started (their step outputs are the rendered messages; their SMS request ids lead sms-sender
/// and usage-api to the messages). Shopify's compliance webhooks read it (customers/data_request) or erase it
/// (customers/redact, shop/redact); counts of runs stay, their personal content goes.
/// </summary>
public sealed class ShopifyCustomerData(EngineDbContext db, Outbox<EngineDbContext> outbox)
{
    /// <summary>Requests per message to sms-sender and usage-api, so a large shop's erasure stays within message size.</summary>
    const int ChunkSize = 500;

    /// <summary>A waiting run whose customer asked to be forgotten does not go on.</summary>
    public const string CustomerRedacted = SmsSkipped.CustomerRedacted;

    /// <summary>The announcements of the redaction being saved: the outbox erasure after it must leave them to be published.</summary>
    readonly List<Guid> _announced = [];

    sealed record Found(List<Contact> Contacts, List<Order> Orders, List<LastShopifyOrder> Snapshots, List<AutomationRun> Runs)
    {
        public List<Guid> SmsRequestIds => [.. Runs.SelectMany(r => r.Steps)
            .Where(s => s.Action == AutomationCatalog.Actions.SendSms && s.ResultId is not null).Select(s => s.ResultId!.Value).Distinct()];

        public List<string> Phones(string? named) => [.. Contacts.Select(c => c.Phone)
            .Concat(Snapshots.SelectMany(s => SnapshotPhones(s.Fields))).Append(named)
            .OfType<string>().Where(p => p.Length > 0).Distinct()];
    }

    /// <summary>Erases the customer and returns what names them in the outbox's messages, for <see cref="EraseOutboxAsync"/>.</summary>
    public async Task<OutboxErasure.Customer> RedactCustomerAsync(ShopifyCustomerRedactRequested r, CancellationToken ct)
    {
        var found = await FindCustomerAsync(r.WorkspaceId, r.Customer, r.OrdersToRedact, ct);
        await EraseAsync(r.WorkspaceId, found, found.Phones(r.Customer.Phone), ct);
        AnnounceErased(r.RequestId, r.WorkspaceId, found.SmsRequestIds, found.Phones(r.Customer.Phone));
        List<string> emails = [.. found.Contacts.Select(c => c.Email).Append(r.Customer.Email).OfType<string>()];
        return new(r.Customer.Id, [.. r.OrdersToRedact.Concat(found.Snapshots.Select(s => s.ShopifyOrderId))], [.. found.Phones(r.Customer.Phone), .. emails]);
    }

    /// <summary>
    /// After the redaction was saved: the engine's outbox keeps sent messages for a while (requested SMS, CRM events, data
    /// reports); the customer's go (the workspace's, with <paramref name="customer"/> null), the redaction's own announcements excepted.
    /// </summary>
    public Task EraseOutboxAsync(Guid workspaceId, OutboxErasure.Customer? customer, CancellationToken ct) =>
        OutboxErasure.EraseAsync(db, workspaceId, customer, _announced, ct);

    public async Task RedactShopAsync(ShopifyShopRedactRequested r, CancellationToken ct)
    {
        var ws = r.WorkspaceId;
        var found = new Found(
            await db.Contacts.Where(c => c.WorkspaceId == ws && c.Source == Order.ShopifySource).ToListAsync(ct),
            await db.Orders.Where(o => o.WorkspaceId == ws && o.Source == Order.ShopifySource).ToListAsync(ct),
            await db.LastShopifyOrders.Where(s => s.WorkspaceId == ws).ToListAsync(ct),
            await db.Runs.Include(x => x.Steps).Where(x => x.WorkspaceId == ws && x.Trigger.StartsWith("shopify.")).ToListAsync(ct));
        await EraseAsync(ws, found, null, ct);
        AnnounceErased(r.RequestId, ws, found.SmsRequestIds, found.Phones(null));
    }

    public async Task ReportCustomerAsync(ShopifyCustomerDataRequested r, CancellationToken ct)
    {
        var found = await FindCustomerAsync(r.WorkspaceId, r.Customer, r.OrdersRequested, ct);
        var report = new
        {
            contacts = found.Contacts.Select(c => new { c.Id, c.Name, c.Email, c.Phone, c.Tags, c.CreatedAt }),
            orders = found.Orders.Select(o => new { o.ExternalId, o.Number, o.Total, o.Currency, o.PaymentStatus, o.CreatedAt }),
            lastOrderSnapshots = found.Snapshots.Select(s => new { s.ShopifyOrderId, fields = JsonSerializer.Deserialize<Dictionary<string, string?>>(s.Fields) }),
            automationRuns = found.Runs.Select(x => new
            {
                x.AutomationId, x.Trigger, x.Status, x.StartedAt,
                steps = x.Steps.OrderBy(s => s.StepIndex).Select(s => new { s.Action, s.Status, s.Output, s.ErrorCode }),
            }),
        };
        var now = DateTimeOffset.UtcNow;
        outbox.Add(DeterministicGuid.Create(r.RequestId, "engine-report"),
            new CustomerDataReported(r.RequestId, r.WorkspaceId, "automation-engine", JsonSerializer.Serialize(report, JsonSerializerOptions.Web), now));
        outbox.Add(DeterministicGuid.Create(r.RequestId, "sms-data"),
            new CustomerSmsDataRequested(r.RequestId, r.WorkspaceId, found.SmsRequestIds, found.Phones(r.Customer.Phone)));
    }

    async Task<Found> FindCustomerAsync(Guid ws, ShopifyCustomerRef customer, IReadOnlyList<long> orderIds, CancellationToken ct)
    {
        var (customerId, email, phone) = (customer.Id, customer.Email, customer.Phone);
        var externalIds = orderIds.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var orders = await db.Orders.Where(o => o.WorkspaceId == ws && o.Source == Order.ShopifySource
            && (externalIds.Contains(o.ExternalId!) || (customerId != null && o.ShopifyCustomerId == customerId))).ToListAsync(ct);
        var contactIds = orders.Select(o => o.ContactId).OfType<Guid>().ToList();
        var contacts = await db.Contacts.Where(c => c.WorkspaceId == ws && c.Source == Order.ShopifySource
            && (contactIds.Contains(c.Id) || (customerId != null && c.ShopifyCustomerId == customerId)
                || (email != null && c.Email == email) || (phone != null && c.Phone == phone))).ToListAsync(ct);
        var orderIdsOf = orderIds.ToList();
        var snapshots = await db.LastShopifyOrders.Where(s => s.WorkspaceId == ws
            && (orderIdsOf.Contains(s.ShopifyOrderId) || (customerId != null && s.ShopifyCustomerId == customerId))).ToListAsync(ct);
        var runs = await db.Runs.Include(x => x.Steps).Where(x => x.WorkspaceId == ws
            && ((x.ShopifyOrderId != null && orderIdsOf.Contains(x.ShopifyOrderId.Value))
                || (customerId != null && x.ShopifyCustomerId == customerId))).ToListAsync(ct);
        return new Found(contacts, orders, snapshots, runs);
    }

    /// <summary>
    /// Erases what was found; the waiting runs among them end (their held data goes) and the consent and marketing-send
    /// records of the phones (every one of the workspace's, for a whole shop: <paramref name="phones"/> null) go too.
    /// </summary>
    async Task EraseAsync(Guid ws, Found found, List<string>? phones, CancellationToken ct)
    {
        var runIds = found.Runs.Select(r => r.Id).ToList();
        await db.RunWaits.Where(w => runIds.Contains(w.RunId)).ExecuteDeleteAsync(ct);
        foreach (var run in found.Runs.Where(r => r.Status == RunStatuses.Waiting)) run.Status = RunStatuses.Skipped;
        foreach (var step in found.Runs.SelectMany(r => r.Steps).Where(s => s.Status == RunStatuses.Waiting))
            (step.Status, step.ErrorCode) = (RunStatuses.Skipped, CustomerRedacted);
        await db.SmsConsents.Where(c => c.WorkspaceId == ws && (phones == null || phones.Contains(c.Phone))).ExecuteDeleteAsync(ct);
        await db.MarketingSends.Where(m => m.WorkspaceId == ws && (phones == null || phones.Contains(m.Phone))).ExecuteDeleteAsync(ct);
        db.Orders.RemoveRange(found.Orders);
        db.Contacts.RemoveRange(found.Contacts);
        db.LastShopifyOrders.RemoveRange(found.Snapshots);
        foreach (var step in found.Runs.SelectMany(r => r.Steps))
        {
            // The rendered message and any reason that could quote the customer's data go; status and code stay.
            step.Output = null;
            step.Error = step.ErrorCode is null ? null : Texts.CustomerDataRedacted;
        }
    }

    void AnnounceErased(Guid requestId, Guid ws, List<Guid> requestIds, List<string> phones)
    {
        var chunks = requestIds.Chunk(ChunkSize).Select(c => c.ToList()).DefaultIfEmpty([]).ToList();
        _announced.Clear();
        for (var i = 0; i < chunks.Count; i++)
        {
            var id = DeterministicGuid.Create(requestId, $"sms-redaction:{i}");
            outbox.Add(id, new SmsRecipientsRedacted(id, ws, chunks[i], i == 0 ? phones : []));
            _announced.Add(id);
        }
    }

    static IEnumerable<string?> SnapshotPhones(string fieldsJson)
    {
        var fields = JsonSerializer.Deserialize<Dictionary<string, string?>>(fieldsJson) ?? [];
        return fields.Where(f => f.Key.EndsWith(".telefono", StringComparison.Ordinal)).Select(f => f.Value);
    }
}
