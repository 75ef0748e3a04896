using Microsoft.EntityFrameworkCore;
using MorfX.Data;
using MorfX.Messaging.Outbox;

namespace MorfX.WebhookIngest.Data;

public class IngestDbContext(DbContextOptions<IngestDbContext> options) : DbContext(options)
{
    public DbSet<ReceivedWebhook> ReceivedWebhooks => Set<ReceivedWebhook>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<UnverifiedInboundSms> UnverifiedInboundSms => Set<UnverifiedInboundSms>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.ApplyConfigurationsFromAssembly(typeof(IngestDbContext).Assembly);
        model.ApplyConfiguration(new OutboxMessageConfiguration());
        model.UseSnakeCaseNames();
    }
}
