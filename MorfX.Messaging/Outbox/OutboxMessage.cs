using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.Messaging.Outbox;

/// <summary>
/// A message a service must publish, written in the transaction of the change that causes it (see <see cref="Outbox{TContext}"/>).
/// Its id is the message's own deterministic id, so a consumer dedupes a message that is published twice.
/// </summary>
public class OutboxMessage
{
    public Guid Id { get; set; }
    public required string MessageType { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Failed publishes by the dispatcher; the next waits until <see cref="RetryAt"/>.</summary>
    public int Attempts { get; set; }
    public DateTimeOffset? RetryAt { get; set; }

    /// <summary>Why the row will not be published (unreadable, or refused while other rows went out): left for ops, never retried.</summary>
    public string? ParkedReason { get; set; }
}

/// <summary>The <c>outbox_messages</c> table, the same in every service (each service's migrations create it).</summary>
public sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    // Column and index names come from UseSnakeCaseNames, as for every other entity.
    public void Configure(EntityTypeBuilder<OutboxMessage> e)
    {
        e.ToTable("outbox_messages");
        e.Property(m => m.Body).HasColumnType("jsonb");
        e.HasIndex(m => new { m.SentAt, m.CreatedAt });
    }
}
