using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.AutomationEngine.Data;

/// <summary>A recipient's SMS marketing consent in a workspace: the latest change seen (Shopify's payload, or an inbound keyword).</summary>
public class SmsConsent
{
    public const string FromShopify = "shopify";

    public Guid WorkspaceId { get; set; }
    public required string Phone { get; set; }
    public bool Subscribed { get; set; }
    public required string Source { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}

public sealed class SmsConsentConfiguration : IEntityTypeConfiguration<SmsConsent>
{
    public void Configure(EntityTypeBuilder<SmsConsent> e)
    {
        e.ToTable("sms_consents");
        e.HasKey(c => new { c.WorkspaceId, c.Phone });
    }
}
