using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.Data;
using MorfX.Messaging.Outbox;

namespace MorfX.AutomationEngine.Data;

public class EngineDbContext(DbContextOptions<EngineDbContext> options) : DbContext(options)
{
    public DbSet<IntegrationState> IntegrationStates => Set<IntegrationState>();
    public DbSet<WorkspaceMessagingState> MessagingStates => Set<WorkspaceMessagingState>();
    public DbSet<Automation> Automations => Set<Automation>();
    public DbSet<ProcessedEvent> ProcessedEvents => Set<ProcessedEvent>();
    public DbSet<AutomationRun> Runs => Set<AutomationRun>();
    public DbSet<AutomationRunStep> RunSteps => Set<AutomationRunStep>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<TaskItem> Tasks => Set<TaskItem>();
    public DbSet<LastShopifyOrder> LastShopifyOrders => Set<LastShopifyOrder>();
    public DbSet<RunWait> RunWaits => Set<RunWait>();
    public DbSet<SmsConsent> SmsConsents => Set<SmsConsent>();
    public DbSet<MarketingSend> MarketingSends => Set<MarketingSend>();
    public DbSet<RedactedCustomer> RedactedCustomers => Set<RedactedCustomer>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.ApplyConfigurationsFromAssembly(typeof(EngineDbContext).Assembly);
        model.ApplyConfiguration(new OutboxMessageConfiguration());
        model.UseSnakeCaseNames();
    }

    /// <summary>Which integrations the workspace has active, from the IntegrationChanged projection.</summary>
    public async Task<WorkspaceIntegrations> IntegrationsOfAsync(Guid workspaceId, CancellationToken ct = default) =>
        (await IntegrationsOfAsync([workspaceId], ct))[workspaceId];

    /// <summary>Which integrations each workspace has active, from the IntegrationChanged projection: one query for all.</summary>
    public async Task<Dictionary<Guid, WorkspaceIntegrations>> IntegrationsOfAsync(IReadOnlyCollection<Guid> workspaceIds, CancellationToken ct = default)
    {
        var states = (await IntegrationStates.AsNoTracking().Where(s => workspaceIds.Contains(s.WorkspaceId)).ToListAsync(ct)).ToLookup(s => s.WorkspaceId);
        return workspaceIds.Distinct().ToDictionary(id => id, id =>
        {
            var shopify = states[id].FirstOrDefault(s => s.Integration == IntegrationKinds.Shopify);
            return new WorkspaceIntegrations(
                states[id].Any(s => s.Integration == IntegrationKinds.Twilio && s.Status == IntegrationStatuses.Active),
                shopify?.Status == IntegrationStatuses.Active,
                shopify?.AutoSyncOrders ?? true,
                shopify?.IanaTimezone);
        });
    }

    /// <summary>The workspace's messaging settings, from the WorkspaceMessagingChanged projection; the defaults until it saves any.</summary>
    public async Task<WorkspaceMessaging> MessagingOfAsync(Guid workspaceId, CancellationToken ct) =>
        (await MessagingStates.AsNoTracking().FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId, ct))?.ToMessaging()
        ?? WorkspaceMessaging.Default;
}
