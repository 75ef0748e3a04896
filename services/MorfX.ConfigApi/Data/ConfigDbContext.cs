using Microsoft.EntityFrameworkCore;
using MorfX.ServiceDefaults.Data;

namespace MorfX.ConfigApi.Data;

public class ConfigDbContext(DbContextOptions<ConfigDbContext> options) : DbContext(options)
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<DataProtectionKey>().HasKey(k => k.Id);
        model.UseSnakeCaseNames();
    }
}

/// <summary>An ASP.NET Core Data Protection key ring entry, kept in the database so secrets stay readable across restarts and instances.</summary>
public class DataProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}
