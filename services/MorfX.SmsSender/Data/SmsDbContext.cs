using Microsoft.EntityFrameworkCore;
using MorfX.Data;
using MorfX.Messaging.Outbox;

namespace MorfX.SmsSender.Data;

public class SmsDbContext(DbContextOptions<SmsDbContext> options) : DbContext(options)
{
    public DbSet<SmsMessage> Messages => Set<SmsMessage>();
    public DbSet<SmsOptOut> OptOuts => Set<SmsOptOut>();
    public DbSet<DeferredSmsRequest> DeferredRequests => Set<DeferredSmsRequest>();
    public DbSet<AutomationStop> AutomationStops => Set<AutomationStop>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.ApplyConfigurationsFromAssembly(typeof(SmsDbContext).Assembly);
        model.ApplyConfiguration(new OutboxMessageConfiguration());
        model.UseSnakeCaseNames();
    }
}
