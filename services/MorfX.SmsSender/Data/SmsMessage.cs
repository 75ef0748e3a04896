using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MorfX.SmsSender.Lifecycle;

namespace MorfX.SmsSender.Data;

/// <summary>One requested SMS/MMS. RequestId is recorded before Twilio is called: the exactly-once key.</summary>
public class SmsMessage
{
    public Guid RequestId { get; set; }
    public Guid WorkspaceId { get; set; }
    public string? AccountSid { get; set; }
    public string? MessageSid { get; set; }
    public required string ToNumber { get; set; }
    public string? FromNumber { get; set; }
    public required string Body { get; set; }
    public List<string> MediaUrls { get; set; } = [];
    public int Segments { get; set; }
    public required string Encoding { get; set; }

    /// <summary>Twilio's status, or ours ("sending", "failed", "skipped") before Twilio has the message.</summary>
    public required string Status { get; set; }

    /// <summary>Where the request is in its life; only <see cref="SmsLifecycle"/>'s transitions change it.</summary>
    public SmsState State { get; set; }
    public int? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }

    /// <summary>Twilio's price as reported (negative for a charge); null until Twilio sets it.</summary>
    public decimal? Price { get; set; }
    public string? PriceUnit { get; set; }
    public required string OriginKind { get; set; }
    public Guid? AutomationId { get; set; }
    public Guid? RunId { get; set; }
    public Guid? TriggerEventId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// When the row was written, on the database's clock (its default, now()): no create for the request can have reached Twilio
    /// earlier, so it anchors the look-up of an ambiguous create. CreatedAt is the recording instance's clock. Null only on
    /// rows finished before it existed.
    /// </summary>
    public DateTimeOffset? RecordedAt { get; set; }

    /// <summary>Until when the attempt holding the lease (<see cref="SmsState.Sending"/>, <see cref="SmsState.Ambiguous"/>) owns the Twilio call.</summary>
    public DateTimeOffset? SendLeaseUntil { get; set; }

    /// <summary>The fencing token of the attempt holding the lease: only it may write the sid (see SmsDispatcher).</summary>
    public long SendFence { get; set; }

    /// <summary>When a create's outcome became unknown (timeout, reset, 5xx): the look-up window starts here.</summary>
    public DateTimeOffset? AmbiguousSince { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? FinalAt { get; set; }
    public DateTimeOffset? PricedAt { get; set; }

    /// <summary>Price reconciliation bookkeeping: when to fetch the message again, and how many fetches so far.</summary>
    public DateTimeOffset? NextPriceCheckAt { get; set; }

    /// <summary>Which message of the request this is (1 first); RedeliverAt is when the next is due.</summary>
    public int DeliveryAttempt { get; set; } = 1;
    public DateTimeOffset? RedeliverAt { get; set; }
    public int PriceChecks { get; set; }
}

public sealed class SmsMessageConfiguration : IEntityTypeConfiguration<SmsMessage>
{
    public void Configure(EntityTypeBuilder<SmsMessage> e)
    {
        e.ToTable("sms_messages");
        e.HasKey(m => m.RequestId);
        e.HasIndex(m => m.MessageSid).IsUnique();
        e.HasIndex(m => new { m.WorkspaceId, m.CreatedAt });
        e.HasIndex(m => m.CreatedAt);
        e.HasIndex(m => m.NextPriceCheckAt).HasFilter("next_price_check_at IS NOT NULL");
        e.HasIndex(m => m.RedeliverAt).HasFilter("redeliver_at IS NOT NULL");
        e.Property(m => m.Price).HasPrecision(12, 5);
        e.Property(m => m.State).HasConversion(s => SmsLifecycle.Name(s), n => SmsLifecycle.Parse(n));
        e.Property(m => m.RecordedAt).HasDefaultValueSql("now()");
    }
}
