using Microsoft.EntityFrameworkCore;
using MorfX.ServiceDefaults.Data;

namespace MorfX.AutomationEngine.Data;

public class EngineDbContext(DbContextOptions<EngineDbContext> options) : DbContext(options)
{
    public DbSet<IntegrationState> IntegrationStates => Set<IntegrationState>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<IntegrationState>().HasKey(s => new { s.WorkspaceId, s.Integration });
        model.UseSnakeCaseNames();
    }
}

/// <summary>The engine's projection of IntegrationChanged: what each workspace has configured.</summary>
public class IntegrationState
{
    public Guid WorkspaceId { get; set; }
    public required string Integration { get; set; }
    public required string Status { get; set; }
    public string? ShopDomain { get; set; }
    public bool AutoSyncOrders { get; set; } = true;
    public DateTimeOffset ChangedAt { get; set; }
}
