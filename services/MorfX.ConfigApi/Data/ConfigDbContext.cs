using Microsoft.EntityFrameworkCore;
using MorfX.ServiceDefaults.Data;
using MorfX.ServiceDefaults.Outbox;

namespace MorfX.ConfigApi.Data;

public class ConfigDbContext(DbContextOptions<ConfigDbContext> options) : DbContext(options)
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<TwilioIntegration> TwilioIntegrations => Set<TwilioIntegration>();
    public DbSet<ShopifyIntegration> ShopifyIntegrations => Set<ShopifyIntegration>();
    public DbSet<ShopifyWebhookSubscription> ShopifyWebhookSubscriptions => Set<ShopifyWebhookSubscription>();
    public DbSet<CustomerDataRequest> CustomerDataRequests => Set<CustomerDataRequest>();
    public DbSet<CustomerDataReport> CustomerDataReports => Set<CustomerDataReport>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<DataProtectionKey>().HasKey(k => k.Id);

        model.Entity<TwilioIntegration>().HasKey(t => t.WorkspaceId);

        var shopify = model.Entity<ShopifyIntegration>();
        shopify.HasKey(s => s.WorkspaceId);
        // One shop feeds one workspace: webhook-ingest finds the workspace by the shop domain.
        shopify.HasIndex(s => s.ShopDomain).IsUnique();
        shopify.HasMany(s => s.Webhooks).WithOne().HasForeignKey(w => w.WorkspaceId).OnDelete(DeleteBehavior.Cascade);

        model.Entity<ShopifyWebhookSubscription>().HasKey(w => new { w.WorkspaceId, w.Topic });

        model.Entity<CustomerDataRequest>(e =>
        {
            e.HasKey(r => r.RequestId);
            e.HasIndex(r => new { r.WorkspaceId, r.RequestedAt });
            e.HasIndex(r => r.RequestedAt);
        });
        model.Entity<CustomerDataReport>(e => { e.HasKey(r => new { r.RequestId, r.Service }); e.HasIndex(r => r.ReportedAt); });

        model.ApplyConfiguration(new OutboxMessageConfiguration());
        model.UseSnakeCaseNames();
    }
}

/// <summary>An ASP.NET Core Data Protection key ring entry, kept in the database so secrets stay readable across restarts and instances.</summary>
public class DataProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}

/// <summary>A workspace's Twilio account. The auth token is stored only as Data Protection ciphertext.</summary>
public class TwilioIntegration
{
    public Guid WorkspaceId { get; set; }
    public required string AccountSid { get; set; }
    public required string AuthTokenProtected { get; set; }
    public required string PhoneNumber { get; set; }
    public required string Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A workspace's Shopify shop. Access token and client secrets are stored only as Data Protection ciphertext.</summary>
public class ShopifyIntegration
{
    public Guid WorkspaceId { get; set; }
    public required string ShopDomain { get; set; }
    public required string AccessTokenProtected { get; set; }
    public required string ClientSecretProtected { get; set; }
    public string? PreviousClientSecretProtected { get; set; }
    public required string DefaultCountry { get; set; }
    public bool AutoSyncOrders { get; set; } = true;
    public required string Status { get; set; }
    /// <summary>Why the integration is failing (a stable code and a Spanish detail), null while it works.</summary>
    public string? ErrorCode { get; set; }
    public string? ErrorDetail { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<ShopifyWebhookSubscription> Webhooks { get; set; } = [];
}

/// <summary>One of the shop's webhook subscriptions (topic in GraphQL enum form, e.g. ORDERS_CREATE) and the last delivery seen.</summary>
public class ShopifyWebhookSubscription
{
    public Guid WorkspaceId { get; set; }
    public required string Topic { get; set; }
    /// <summary>Shopify's id (gid://shopify/WebhookSubscription/…), null while the subscription could not be created.</summary>
    public string? SubscriptionId { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset? SubscribedAt { get; set; }
    public DateTimeOffset? LastDeliveryAt { get; set; }
}
