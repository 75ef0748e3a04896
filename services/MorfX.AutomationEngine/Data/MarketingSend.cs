using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.AutomationEngine.Data;

/// <summary>A marketing SMS the engine asked for: what the workspace's per-recipient frequency cap counts.</summary>
public class MarketingSend
{
    public Guid RequestId { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Phone { get; set; }
    public DateTimeOffset SentAt { get; set; }
}

public sealed class MarketingSendConfiguration : IEntityTypeConfiguration<MarketingSend>
{
    public void Configure(EntityTypeBuilder<MarketingSend> e)
    {
        e.ToTable("marketing_sends");
        e.HasKey(s => s.RequestId);
        e.HasIndex(s => new { s.WorkspaceId, s.Phone, s.SentAt });
    }
}
