using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.SmsSender.Data;

/// <summary>A number's opt-out state in a workspace; the row stays when lifted (OptedOut false) so an older change cannot undo a newer one.</summary>
public class SmsOptOut
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string PhoneNumber { get; set; }
    public bool OptedOut { get; set; }
    public required string Source { get; set; }
    /// <summary>When MorfX recorded the change.</summary>
    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>When the change happened by Twilio's clock (see <see cref="OptOuts.OptOutRegistry"/>); null when it could not be read.</summary>
    public DateTimeOffset? EffectiveAt { get; set; }
}

public sealed class SmsOptOutConfiguration : IEntityTypeConfiguration<SmsOptOut>
{
    public void Configure(EntityTypeBuilder<SmsOptOut> e)
    {
        e.ToTable("sms_opt_outs");
        e.HasIndex(o => new { o.WorkspaceId, o.PhoneNumber }).IsUnique();
    }
}
