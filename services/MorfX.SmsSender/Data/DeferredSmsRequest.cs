using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.SmsSender.Data;

/// <summary>An SmsRequested parked while a dependency is down (see <see cref="Sending.SmsRequestDeferrals"/>); handed back to the queue at DueAt.</summary>
public class DeferredSmsRequest
{
    public Guid RequestId { get; set; }

    /// <summary>The SmsRequested as JSON, exactly as it arrived.</summary>
    public required string Message { get; set; }

    /// <summary>How many times this request has been parked (1 the first time).</summary>
    public int Deferrals { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset DeferredAt { get; set; }
    public DateTimeOffset DueAt { get; set; }
}

public sealed class DeferredSmsRequestConfiguration : IEntityTypeConfiguration<DeferredSmsRequest>
{
    public void Configure(EntityTypeBuilder<DeferredSmsRequest> e)
    {
        e.ToTable("deferred_sms_requests");
        e.HasKey(d => d.RequestId);
        e.Property(d => d.Message).HasColumnType("jsonb");
        e.HasIndex(d => d.DueAt);
    }
}
