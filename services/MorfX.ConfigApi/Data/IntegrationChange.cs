using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.ConfigApi.Data;

/// <summary>
/// One announced integration change in the change feed the other services poll (GET /internal/integration-changes). The
/// database numbers it (<see cref="Seq"/>) in commit order, without gaps; no secret in it.
/// </summary>
public class IntegrationChange
{
    public long Seq { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Integration { get; set; }
    public string? ShopDomain { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>The feed's head: the last sequence number given (a single row, locked by each insert until its commit).</summary>
public class IntegrationChangeCounter
{
    public bool Id { get; set; }
    public long Last { get; set; }
}

public sealed class IntegrationChangeConfiguration : IEntityTypeConfiguration<IntegrationChange>
{
    public void Configure(EntityTypeBuilder<IntegrationChange> e)
    {
        e.HasKey(c => c.Seq);
        // Set by the table's trigger; EF reads it back.
        e.Property(c => c.Seq).ValueGeneratedOnAdd().Metadata.SetValueGenerationStrategy(
            Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.None);
        e.HasIndex(c => c.ChangedAt);
    }
}

public sealed class IntegrationChangeCounterConfiguration : IEntityTypeConfiguration<IntegrationChangeCounter>
{
    public void Configure(EntityTypeBuilder<IntegrationChangeCounter> e)
    {
        e.ToTable("integration_change_counter");
        e.HasKey(c => c.Id);
    }
}
