using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MorfX.Data;

public static class RetentionExtensions
{
    /// <summary>
    /// Runs <see cref="RetentionWorker{TContext}"/> over the service's database for these tables, configured by the
    /// Retention section (<see cref="RetentionOptions"/>), validated at start-up: no table may keep less than its rule allows.
    /// </summary>
    public static WebApplicationBuilder AddRetention<TContext>(this WebApplicationBuilder builder, params RetentionRule[] rules)
        where TContext : DbContext
    {
        var floors = string.Join(", ", rules.Select(r => $"{r.Table} {r.AtLeast}"));
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => rules.All(r => o.KeepFor(r) <= TimeSpan.Zero || o.KeepFor(r) >= r.AtLeast),
                $"Retention:Keep is shorter than a table's guarantees allow (at least: {floors}; 0 keeps everything)")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<RetentionWorker<TContext>>(sp, (IReadOnlyList<RetentionRule>)rules));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RetentionWorker<TContext>>());
        return builder;
    }
}
