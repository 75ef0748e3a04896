using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.ServiceDefaults.Data;

namespace MorfX.AutomationEngine.Data;

public class EngineDbContext(DbContextOptions<EngineDbContext> options) : DbContext(options)
{
    public DbSet<IntegrationState> IntegrationStates => Set<IntegrationState>();
    public DbSet<Automation> Automations => Set<Automation>();
    public DbSet<ProcessedEvent> ProcessedEvents => Set<ProcessedEvent>();
    public DbSet<AutomationRun> Runs => Set<AutomationRun>();
    public DbSet<AutomationRunStep> RunSteps => Set<AutomationRunStep>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<TaskItem> Tasks => Set<TaskItem>();
    public DbSet<LastShopifyOrder> LastShopifyOrders => Set<LastShopifyOrder>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<IntegrationState>().HasKey(s => new { s.WorkspaceId, s.Integration });

        model.Entity<Automation>(e =>
        {
            e.ToTable("automations");
            e.Property(a => a.Conditions).HasColumnType("jsonb");
            e.Property(a => a.Actions).HasColumnType("jsonb");
            e.HasIndex(a => new { a.WorkspaceId, a.Trigger });
        });
        model.Entity<ProcessedEvent>(e => { e.ToTable("processed_events"); e.HasKey(p => p.EventId); e.HasIndex(p => p.ProcessedAt); });
        model.Entity<AutomationRun>(e =>
        {
            e.ToTable("automation_runs");
            e.HasIndex(r => new { r.TriggerEventId, r.AutomationId }).IsUnique();
            e.HasIndex(r => new { r.AutomationId, r.StartedAt });
            e.HasIndex(r => new { r.WorkspaceId, r.ShopifyOrderId });
            e.HasIndex(r => new { r.WorkspaceId, r.ShopifyCustomerId });
            e.HasIndex(r => r.StartedAt);
            e.HasIndex(r => r.RootEventId);
            e.HasMany(r => r.Steps).WithOne().HasForeignKey(s => s.RunId);
        });
        model.Entity<AutomationRunStep>(e =>
        {
            e.ToTable("automation_run_steps");
            e.HasIndex(s => new { s.RunId, s.StepIndex }).IsUnique();
            e.HasIndex(s => s.ResultId);
        });
        model.Entity<Contact>(e =>
        {
            e.ToTable("contacts");
            e.HasIndex(c => new { c.WorkspaceId, c.Phone }).IsUnique().HasFilter("phone IS NOT NULL");
            e.HasIndex(c => new { c.WorkspaceId, c.Email }).IsUnique().HasFilter("email IS NOT NULL");
        });
        model.Entity<Order>(e =>
        {
            e.ToTable("orders");
            e.Property(o => o.Total).HasPrecision(14, 2);
            e.HasIndex(o => new { o.WorkspaceId, o.Source, o.ExternalId }).IsUnique();
        });
        model.Entity<TaskItem>(e => { e.ToTable("tasks"); e.HasIndex(t => t.WorkspaceId); });
        model.Entity<LastShopifyOrder>(e =>
        {
            e.ToTable("last_shopify_orders");
            e.HasKey(o => new { o.WorkspaceId, o.ShopifyOrderId });
            e.Property(o => o.Fields).HasColumnType("jsonb");
            e.HasIndex(o => o.SeenAt);
        });
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.Property(m => m.Body).HasColumnType("jsonb");
            e.HasIndex(m => new { m.SentAt, m.CreatedAt });
        });
        model.UseSnakeCaseNames();
    }

    /// <summary>Which integrations the workspace has active, from the IntegrationChanged projection.</summary>
    public async Task<WorkspaceIntegrations> IntegrationsOfAsync(Guid workspaceId, CancellationToken ct = default)
    {
        var states = await IntegrationStates.AsNoTracking().Where(s => s.WorkspaceId == workspaceId).ToListAsync(ct);
        var shopify = states.FirstOrDefault(s => s.Integration == IntegrationKinds.Shopify);
        return new WorkspaceIntegrations(
            states.Any(s => s.Integration == IntegrationKinds.Twilio && s.Status == IntegrationStatuses.Active),
            shopify?.Status == IntegrationStatuses.Active,
            shopify?.AutoSyncOrders ?? true);
    }
}

public record WorkspaceIntegrations(bool TwilioActive, bool ShopifyActive, bool AutoSyncOrders)
{
    public bool IsActive(string integration) =>
        integration == IntegrationKinds.Twilio ? TwilioActive : integration == IntegrationKinds.Shopify && ShopifyActive;
}

/// <summary>The engine's projection of IntegrationChanged: what each workspace has configured.</summary>
public class IntegrationState
{
    public Guid WorkspaceId { get; set; }
    public required string Integration { get; set; }
    public required string Status { get; set; }
    public string? ShopDomain { get; set; }
    public bool AutoSyncOrders { get; set; } = true;
    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>A saved automation. Conditions and actions are kept as JSON (lists of Condition and ActionStep).</summary>
public class Automation
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public required string Trigger { get; set; }
    public required string Conditions { get; set; }
    public required string Actions { get; set; }
    public bool Enabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A trigger event already handled: the consumers' idempotency key.</summary>
public class ProcessedEvent
{
    public Guid EventId { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Trigger { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}

public static class RunStatuses
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
}

/// <summary>One run of an automation for one trigger event; unique per (event, automation).</summary>
public class AutomationRun
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid AutomationId { get; set; }
    public Guid TriggerEventId { get; set; }
    public required string Trigger { get; set; }
    public required string Status { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public long? ShopifyOrderId { get; set; }
    public long? ShopifyCustomerId { get; set; }
    /// <summary>The root event of the fan-out this run belongs to (null on runs from before it was recorded).</summary>
    public Guid? RootEventId { get; set; }
    public List<AutomationRunStep> Steps { get; set; } = [];
}

public class AutomationRunStep
{
    public Guid Id { get; set; }
    public Guid RunId { get; set; }
    public int StepIndex { get; set; }
    public required string Action { get; set; }
    public required string Status { get; set; }
    /// <summary>What the step produced: the rendered text, or the record it wrote.</summary>
    public string? Output { get; set; }
    public string? ErrorCode { get; set; }
    public string? Error { get; set; }
    /// <summary>The id of the message it published (SmsRequested.RequestId) or of the record it created.</summary>
    public Guid? ResultId { get; set; }
}

public class Contact
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public string? Name { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public List<string> Tags { get; set; } = [];
    public required string Source { get; set; }
    public long? ShopifyCustomerId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public CrmContact ToMessage() => new(Id, Name, Email, Phone, Tags);
}

public class Order
{
    public const string ShopifySource = "shopify";
    public const string AutomationSource = "automation";

    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid? ContactId { get; set; }
    public required string Source { get; set; }
    public string? ExternalId { get; set; }
    public string? Number { get; set; }
    public decimal? Total { get; set; }
    public string? Currency { get; set; }
    public string? PaymentStatus { get; set; }
    public long? ShopifyCustomerId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public CrmOrder ToMessage() => new(Id, ContactId, Source, ExternalId, Number, Total, Currency, PaymentStatus);
}

public class TaskItem
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public Guid? ContactId { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public bool Completed { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public CrmTask ToMessage() => new(Id, Title, Description, ContactId, DueAt, Completed);
}

/// <summary>The last seen copy of a Shopify order (its variables, flattened): what "changed to" compares with.</summary>
public class LastShopifyOrder
{
    public Guid WorkspaceId { get; set; }
    public long ShopifyOrderId { get; set; }
    public long? ShopifyCustomerId { get; set; }
    public required string Fields { get; set; }
    public DateTimeOffset? OrderUpdatedAt { get; set; }
    public DateTimeOffset SeenAt { get; set; }
}

/// <summary>A message the engine must publish, written with the transaction that caused it (see EngineOutbox).</summary>
public class OutboxMessage
{
    public Guid Id { get; set; }
    public required string MessageType { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}
