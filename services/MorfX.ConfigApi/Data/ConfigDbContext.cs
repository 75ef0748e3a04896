using Microsoft.EntityFrameworkCore;
using MorfX.Data;
using MorfX.Messaging.Outbox;

namespace MorfX.ConfigApi.Data;

public class ConfigDbContext(DbContextOptions<ConfigDbContext> options) : DbContext(options)
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<TwilioIntegration> TwilioIntegrations => Set<TwilioIntegration>();
    public DbSet<ShopifyIntegration> ShopifyIntegrations => Set<ShopifyIntegration>();
    public DbSet<ShopifyWebhookSubscription> ShopifyWebhookSubscriptions => Set<ShopifyWebhookSubscription>();
    public DbSet<ShopifySubscriptionRepair> ShopifySubscriptionRepairs => Set<ShopifySubscriptionRepair>();
    public DbSet<ShopifyRecoveredOrder> ShopifyRecoveredOrders => Set<ShopifyRecoveredOrder>();
    public DbSet<ShopifySecretTombstone> ShopifySecretTombstones => Set<ShopifySecretTombstone>();
    public DbSet<WorkspaceMessagingSettings> WorkspaceMessagingSettings => Set<WorkspaceMessagingSettings>();
    public DbSet<CustomerDataRequest> CustomerDataRequests => Set<CustomerDataRequest>();
    public DbSet<CustomerDataReport> CustomerDataReports => Set<CustomerDataReport>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<IntegrationChange> IntegrationChanges => Set<IntegrationChange>();
    public DbSet<IntegrationChangeCounter> IntegrationChangeCounter => Set<IntegrationChangeCounter>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.ApplyConfigurationsFromAssembly(typeof(ConfigDbContext).Assembly);
        model.ApplyConfiguration(new OutboxMessageConfiguration());
        model.UseSnakeCaseNames();
    }
}
