using Microsoft.EntityFrameworkCore;
using MorfX.ServiceDefaults.Data;
using MorfX.ServiceDefaults.Outbox;

namespace MorfX.WebhookIngest.Data;

public class IngestDbContext(DbContextOptions<IngestDbContext> options) : DbContext(options)
{
    public DbSet<ReceivedWebhook> ReceivedWebhooks => Set<ReceivedWebhook>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<ReceivedWebhook>(e => { e.HasKey(w => w.WebhookId); e.HasIndex(w => w.ReceivedAt); });
        model.ApplyConfiguration(new OutboxMessageConfiguration());
        model.UseSnakeCaseNames();
    }
}

/// <summary>A webhook delivery accepted (committed with its event in the outbox); its id is the dedupe key.</summary>
public class ReceivedWebhook
{
    public required string WebhookId { get; set; }
    public required string Source { get; set; }
    public required string Topic { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid EventId { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}
