using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.ServiceDefaults.Data;
using MorfX.ServiceDefaults.Outbox;

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
        model.ApplyConfiguration(new OutboxMessageConfiguration());
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
