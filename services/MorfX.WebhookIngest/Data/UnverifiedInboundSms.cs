using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.WebhookIngest.Data;

/// <summary>
/// An inbound SMS webhook kept while its workspace's auth token could not be read (config-api down): the form exactly as Twilio
/// posted and signed it, checked by <see cref="Twilio.UnverifiedInboundVerifier"/> once the token can be read. Nothing here is
/// trusted until then.
/// </summary>
public class UnverifiedInboundSms
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string AccountSid { get; set; }
    public required string MessageSid { get; set; }

    /// <summary>The public URL Twilio signed (PublicUrls:WebhookIngest + path + query at the time it arrived).</summary>
    public required string Url { get; set; }

    /// <summary>The form's fields, as a JSON object of name → value.</summary>
    public required string Fields { get; set; }
    public required string Signature { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

public sealed class UnverifiedInboundSmsConfiguration : IEntityTypeConfiguration<UnverifiedInboundSms>
{
    public void Configure(EntityTypeBuilder<UnverifiedInboundSms> e)
    {
        e.ToTable("unverified_inbound_sms");
        e.Property(r => r.Fields).HasColumnType("jsonb");
        e.HasIndex(r => r.AccountSid);
        e.HasIndex(r => r.ReceivedAt);
    }
}
