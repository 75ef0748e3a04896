using Microsoft.EntityFrameworkCore;
using MorfX.Rules;
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
        usage.HasIndex(m => new { m.WorkspaceId, m.SentAt })
            .IncludeProperties(m => new { m.Status, m.Cost, m.PriceUnit, m.AutomationId });
        usage.HasIndex(m => m.SentAt);
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

    /// <summary>Twilio's status, lower case; null while only the price is known.</summary>
    public string? Status { get; set; }

    /// <summary><see cref="SmsStatuses.Rank"/> of <see cref="Status"/>: a status only ever moves to a higher rank.</summary>
    public int StatusRank { get; set; }

    public int Segments { get; set; }

    /// <summary>Positive cost in <see cref="PriceUnit"/>; null while Twilio has not priced it, and always for a failed message.</summary>
    public decimal? Cost { get; set; }

    public string? PriceUnit { get; set; }

    /// <summary>The earliest event time known for the message.</summary>
    public DateTimeOffset SentAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
