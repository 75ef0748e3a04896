using Microsoft.EntityFrameworkCore;
using MorfX.ServiceDefaults.Data;

namespace MorfX.UsageApi.Data;

public class UsageDbContext(DbContextOptions<UsageDbContext> options) : DbContext(options)
{
    public DbSet<SmsUsage> Messages => Set<SmsUsage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        var usage = model.Entity<SmsUsage>();
        usage.ToTable("sms_usage");
        usage.HasKey(m => m.RequestId);
        usage.HasIndex(m => new { m.WorkspaceId, m.SentAt });
        usage.Property(m => m.Cost).HasPrecision(12, 5);
        model.UseSnakeCaseNames();
    }
}

/// <summary>The usage read model: one row per SMS, converged from SmsSent/SmsFailed/SmsStatusChanged/SmsPriced.</summary>
public class SmsUsage
{
    public Guid RequestId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid? AutomationId { get; set; }
    public string? MessageSid { get; set; }
    public string? ToNumber { get; set; }
    public string? Body { get; set; }
    public string? Status { get; set; }
    public int Segments { get; set; }
    public decimal? Cost { get; set; }
    public string? PriceUnit { get; set; }
    public DateTimeOffset SentAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
