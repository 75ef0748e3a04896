using Microsoft.EntityFrameworkCore;
using MorfX.Data;

namespace MorfX.UsageApi.Data;

public class UsageDbContext(DbContextOptions<UsageDbContext> options) : DbContext(options)
{
    public DbSet<SmsUsage> Messages => Set<SmsUsage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.ApplyConfigurationsFromAssembly(typeof(UsageDbContext).Assembly);
        model.UseSnakeCaseNames();
    }
}
