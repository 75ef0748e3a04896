using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;
using MorfX.Rules;

namespace MorfX.AutomationEngine.Compliance;

/// <summary>
/// What the engine holds about one Shopify customer (or every Shopify customer of a shop), found by Shopify customer
/// id, email, phone and order ids: the CRM copy made by auto-sync (contacts and orders), the last-order snapshots, the runs
/// those orders started and the runs of the CRM events they fanned out to (their step outputs are the rendered messages; their
/// SMS request ids lead sms-sender and usage-api to the messages), and the contacts, orders and tasks those runs' steps created.
/// Shopify's compliance webhooks read it (customers/data_request) or erase it (customers/redact, shop/redact); counts of runs
/// stay, their personal content goes.
/// </summary>
public sealed class ShopifyCustomerData(EngineDbContext db, RedactionTombstones tombstones, Outbox<EngineDbContext> outbox)
{
    /// <summary>Requests per message to sms-sender and usage-api, so a large shop's erasure stays within message size.</summary>
    const int ChunkSize = 500;

    /// <summary>Runs, and Shopify contacts, orders and snapshots, a shop's erasure takes per transaction: no long lock, no huge statement.</summary>
    public const int PageSize = 200;

    /// <summary>A waiting run whose customer asked to be forgotten does not go on.</summary>
    public const string CustomerRedacted = SmsSkipped.CustomerRedacted;

    /// <summary>The announcements of the redaction being saved: the outbox erasure after it must leave them to be published.</summary>
    readonly List<Guid> _announced = [];

    sealed record Found(List<Contact> Contacts, List<Order> Orders, List<LastShopifyOrder> Snapshots, List<AutomationRun> Runs, List<TaskItem> Tasks)
    {
        public bool IsEmpty => Contacts.Count + Orders.Count + Snapshots.Count + Runs.Count + Tasks.Count == 0;

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
        long[] orderIds = [.. r.OrdersToRedact.Concat(found.Snapshots.Select(s => s.ShopifyOrderId)).Distinct()];
        List<string> emails = [.. found.Contacts.Select(c => c.Email).Append(r.Customer.Email).OfType<string>()];
        await tombstones.RememberAsync(r.WorkspaceId, RedactionTombstones.Keys(r.Customer.Id, orderIds, found.Phones(r.Customer.Phone), emails), ct);
        _announced.Clear();
        AnnounceErased(r.RequestId, "", r.WorkspaceId, found.SmsRequestIds, found.Phones(r.Customer.Phone));
        return new(r.Customer.Id, orderIds, [.. found.Phones(r.Customer.Phone), .. emails]);
    }

    /// <summary>
    /// After the redaction was saved: the engine's outbox keeps sent messages for a while (requested SMS, CRM events, data
    /// reports); the customer's go (the workspace's, with <paramref name="customer"/> null), the redaction's own announcements excepted.
    /// </summary>
    public Task EraseOutboxAsync(Guid workspaceId, OutboxErasure.Customer? customer, CancellationToken ct) =>
        OutboxErasure.EraseAsync(db, workspaceId, customer, _announced, ct);

    /// <summary>
    /// Erases one page of the shop (at most <see cref="PageSize"/> runs not yet redacted, and as many Shopify contacts, orders
    /// and snapshots, with what those runs created) in the caller's transaction; false when nothing was left. The caller commits
    /// each page, so a crash resumes at the first page not committed.
    /// </summary>
    public async Task<bool> RedactShopPageAsync(ShopifyShopRedactRequested r, CancellationToken ct)
    {
        var ws = r.WorkspaceId;
        await tombstones.RememberShopAsync(ws, ct);
        var runs = await db.Runs.FromSql($"""
            SELECT r.* FROM automation_runs r
            WHERE r.workspace_id = {ws} AND r.redacted_at IS NULL
              AND (r.trigger LIKE 'shopify.%' OR r.shopify_order_id IS NOT NULL OR r.shopify_customer_id IS NOT NULL
                   OR r.root_event_id IN (SELECT s.trigger_event_id FROM automation_runs s WHERE s.workspace_id = {ws} AND s.trigger LIKE 'shopify.%'))
            ORDER BY r.id LIMIT {PageSize}
            """).Include(x => x.Steps).ToListAsync(ct);
        var found = await WithCreatedRecordsAsync(ws,
            await db.Contacts.Where(c => c.WorkspaceId == ws && c.Source == Order.ShopifySource).OrderBy(c => c.Id).Take(PageSize).ToListAsync(ct),
            await db.Orders.Where(o => o.WorkspaceId == ws && o.Source == Order.ShopifySource).OrderBy(o => o.Id).Take(PageSize).ToListAsync(ct),
            await db.LastShopifyOrders.Where(s => s.WorkspaceId == ws).OrderBy(s => s.ShopifyOrderId).Take(PageSize).ToListAsync(ct),
            runs, ct);
        if (found.IsEmpty) return false;
        await EraseAsync(ws, found, null, ct);
        var page = runs.FirstOrDefault()?.Id ?? found.Contacts.FirstOrDefault()?.Id ?? found.Orders.FirstOrDefault()?.Id;
        AnnounceErased(r.RequestId, $"{page}:{found.Snapshots.FirstOrDefault()?.ShopifyOrderId}", ws, found.SmsRequestIds, found.Phones(null));
        return true;
    }

    /// <summary>A shop's consent and marketing-send records, every phone's: a bounded batch per statement.</summary>
    public async Task ForgetShopConsentsAsync(Guid ws, CancellationToken ct)
    {
        while (await db.SmsConsents.Where(c => c.WorkspaceId == ws).Take(ChunkSize).ExecuteDeleteAsync(ct) > 0) { }
        while (await db.MarketingSends.Where(m => m.WorkspaceId == ws).Take(ChunkSize).ExecuteDeleteAsync(ct) > 0) { }
    }

    public async Task ReportCustomerAsync(ShopifyCustomerDataRequested r, CancellationToken ct)
    {
        var found = await FindCustomerAsync(r.WorkspaceId, r.Customer, r.OrdersRequested, ct);
        var report = new
        {
            contacts = found.Contacts.Select(c => new { c.Id, c.Name, c.Email, c.Phone, c.Tags, c.CreatedAt }),
            orders = found.Orders.Select(o => new { o.ExternalId, o.Source, o.Number, o.Total, o.Currency, o.PaymentStatus, o.CreatedAt }),
            tasks = found.Tasks.Select(t => new { t.Title, t.Description, t.DueAt, t.Completed, t.CreatedAt }),
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
        // Runs of the customer's orders, and of the CRM events they fanned out to: those carry the order (ShopifyOrigin), and
        // the ones from before it did are found by their root event, when the order itself started a run.
        var runs = await db.Runs.Include(x => x.Steps).Where(x => x.WorkspaceId == ws
            && ((x.ShopifyOrderId != null && orderIdsOf.Contains(x.ShopifyOrderId.Value))
                || (customerId != null && x.ShopifyCustomerId == customerId))).ToListAsync(ct);
        var (roots, known) = (runs.Select(x => x.TriggerEventId).Distinct().ToList(), runs.Select(x => x.Id).ToList());
        runs.AddRange(await db.Runs.Include(x => x.Steps).Where(x => x.WorkspaceId == ws
            && x.RootEventId != null && roots.Contains(x.RootEventId.Value) && !known.Contains(x.Id)).ToListAsync(ct));
        return await WithCreatedRecordsAsync(ws, contacts, orders, snapshots, runs, ct);
    }

    /// <summary>
    /// Adds what the runs' steps created (contacts and orders an automation made, tasks), and the orders and tasks of every
    /// contact found: they were made with the customer's data.
    /// </summary>
    async Task<Found> WithCreatedRecordsAsync(Guid ws, List<Contact> contacts, List<Order> orders, List<LastShopifyOrder> snapshots,
        List<AutomationRun> runs, CancellationToken ct)
    {
        List<Guid> Made(string action) => [.. runs.SelectMany(r => r.Steps).Where(s => s.Action == action && s.ResultId is not null).Select(s => s.ResultId!.Value)];
        var (madeContacts, madeOrders, madeTasks) = (Made(AutomationCatalog.Actions.CreateContact), Made(AutomationCatalog.Actions.CreateOrder), Made(AutomationCatalog.Actions.CreateTask));
        var known = contacts.Select(c => c.Id).ToList();
        contacts.AddRange(await db.Contacts.Where(c => c.WorkspaceId == ws && c.Source == Order.AutomationSource
            && madeContacts.Contains(c.Id) && !known.Contains(c.Id)).ToListAsync(ct));
        var contactIds = contacts.Select(c => c.Id).ToList();
        var knownOrders = orders.Select(o => o.Id).ToList();
        orders.AddRange(await db.Orders.Where(o => o.WorkspaceId == ws && !knownOrders.Contains(o.Id)
            && ((o.Source == Order.AutomationSource && madeOrders.Contains(o.Id)) || (o.ContactId != null && contactIds.Contains(o.ContactId.Value)))).ToListAsync(ct));
        var tasks = await db.Tasks.Where(t => t.WorkspaceId == ws
            && (madeTasks.Contains(t.Id) || (t.ContactId != null && contactIds.Contains(t.ContactId.Value)))).ToListAsync(ct);
        return new Found(contacts, orders, snapshots, runs, tasks);
    }

    /// <summary>
    /// Erases what was found; the waiting runs among them end (their held data goes) and the consent and marketing-send
    /// records of the phones go too (a whole shop's, with <paramref name="phones"/> null, by <see cref="ForgetShopConsentsAsync"/>).
    /// </summary>
    async Task EraseAsync(Guid ws, Found found, List<string>? phones, CancellationToken ct)
    {
        var runIds = found.Runs.Select(r => r.Id).ToList();
        await db.RunWaits.Where(w => runIds.Contains(w.RunId)).ExecuteDeleteAsync(ct);
        var now = DateTimeOffset.UtcNow;
        foreach (var run in found.Runs)
        {
            if (run.Status == RunStatuses.Waiting) run.Status = RunStatuses.Skipped;
            run.RedactedAt = now;
        }
        foreach (var step in found.Runs.SelectMany(r => r.Steps).Where(s => s.Status == RunStatuses.Waiting))
            (step.Status, step.ErrorCode) = (RunStatuses.Skipped, CustomerRedacted);
        if (phones is not null)
        {
            await db.SmsConsents.Where(c => c.WorkspaceId == ws && phones.Contains(c.Phone)).ExecuteDeleteAsync(ct);
            await db.MarketingSends.Where(m => m.WorkspaceId == ws && phones.Contains(m.Phone)).ExecuteDeleteAsync(ct);
        }
        db.Tasks.RemoveRange(found.Tasks);
        db.Orders.RemoveRange(found.Orders);
        db.Contacts.RemoveRange(found.Contacts);
        db.LastShopifyOrders.RemoveRange(found.Snapshots);
        // An SMS still in the outbox is never sent now: its step says so, as sms-sender's skip of a redacted recipient would.
        var requests = found.SmsRequestIds;
        var unsent = await db.OutboxMessages.Where(o => requests.Contains(o.Id) && o.SentAt == null).Select(o => o.Id).ToListAsync(ct);
        await db.OutboxMessages.Where(o => unsent.Contains(o.Id)).ExecuteDeleteAsync(ct);
        foreach (var step in found.Runs.SelectMany(r => r.Steps))
        {
            if (step.ResultId is { } id && unsent.Contains(id)) (step.Status, step.ErrorCode) = (RunStatuses.Skipped, CustomerRedacted);
            // The rendered message and any reason that could quote the customer's data go; status and code stay.
            step.Output = null;
            step.Error = step.ErrorCode is null ? null : Texts.CustomerDataRedacted;
        }
    }

    /// <summary>Tells sms-sender and usage-api what to erase; <paramref name="page"/> tells a shop's pages apart.</summary>
    void AnnounceErased(Guid requestId, string page, Guid ws, List<Guid> requestIds, List<string> phones)
    {
        var chunks = requestIds.Chunk(ChunkSize).Select(c => c.ToList()).DefaultIfEmpty([]).ToList();
        for (var i = 0; i < chunks.Count; i++)
        {
            var id = DeterministicGuid.Create(requestId, $"sms-redaction:{page}{i}");
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
