using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MorfX.ServiceDefaults.Data;

/// <summary>
/// At start-up, after the migrations: builds the DbContext's model and opens a pooled connection, so the first event after a
/// start does not pay for them (a cold engine took seconds over its first order). A database not yet reachable is no
/// failure here: the health check reports it, and the first real query builds what this could not.
/// </summary>
public sealed class DatabaseWarmup<TContext>(IServiceScopeFactory scopes) : IHostedService where TContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            _ = db.Model;
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // Reported by the health check; nothing to warm.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
