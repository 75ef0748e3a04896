using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MorfX.Rules;

namespace MorfX.UsageApi.Data;

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

public sealed class SmsUsageConfiguration : IEntityTypeConfiguration<SmsUsage>
{
    public void Configure(EntityTypeBuilder<SmsUsage> e)
    {
        e.ToTable("sms_usage");
        e.HasKey(m => m.RequestId);
        e.HasIndex(m => new { m.WorkspaceId, m.SentAt })
            .IncludeProperties(m => new { m.Status, m.Cost, m.PriceUnit, m.AutomationId });
        e.HasIndex(m => m.SentAt);
        e.Property(m => m.Cost).HasPrecision(12, 5);
    }
}
