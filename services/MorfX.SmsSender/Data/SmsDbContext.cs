using Microsoft.EntityFrameworkCore;
using MorfX.ServiceDefaults.Data;
using MorfX.ServiceDefaults.Outbox;

namespace MorfX.SmsSender.Data;

public class SmsDbContext(DbContextOptions<SmsDbContext> options) : DbContext(options)
{
    public DbSet<SmsMessage> Messages => Set<SmsMessage>();
    public DbSet<SmsOptOut> OptOuts => Set<SmsOptOut>();
    public DbSet<DeferredSmsRequest> DeferredRequests => Set<DeferredSmsRequest>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        var message = model.Entity<SmsMessage>();
        message.ToTable("sms_messages");
        message.HasKey(m => m.RequestId);
        message.HasIndex(m => m.MessageSid).IsUnique();
        message.HasIndex(m => new { m.WorkspaceId, m.CreatedAt });
        message.HasIndex(m => m.CreatedAt);
        message.HasIndex(m => m.NextPriceCheckAt).HasFilter("next_price_check_at IS NOT NULL");
        message.HasIndex(m => m.RedeliverAt).HasFilter("redeliver_at IS NOT NULL");
        message.Property(m => m.Price).HasPrecision(12, 5);
        var optOut = model.Entity<SmsOptOut>();
        optOut.ToTable("sms_opt_outs");
        optOut.HasIndex(o => new { o.WorkspaceId, o.PhoneNumber }).IsUnique();
        var deferred = model.Entity<DeferredSmsRequest>();
        deferred.ToTable("deferred_sms_requests");
        deferred.HasKey(d => d.RequestId);
        deferred.Property(d => d.Message).HasColumnType("jsonb");
        deferred.HasIndex(d => d.DueAt);
        model.ApplyConfiguration(new OutboxMessageConfiguration());
        model.UseSnakeCaseNames();
    }
}
