using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.WebhookIngest.Data;

/// <summary>A webhook delivery accepted (committed with its event in the outbox); its id is the dedupe key.</summary>
public class ReceivedWebhook
{
    public required string WebhookId { get; set; }
    public required string Source { get; set; }
    public required string Topic { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid EventId { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

public sealed class ReceivedWebhookConfiguration : IEntityTypeConfiguration<ReceivedWebhook>
{
    public void Configure(EntityTypeBuilder<ReceivedWebhook> e)
    {
        e.HasKey(w => w.WebhookId);
        e.HasIndex(w => w.ReceivedAt);
    }
}
