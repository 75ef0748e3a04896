using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MorfX.Data;

namespace MorfX.Messaging.Outbox;

public static class OutboxExtensions
{
    /// <summary>
    /// Sent rows are kept a day (to look into), then deleted by the service's RetentionWorker; unsent rows stay whatever their age.
    /// Add it to the service's <c>AddRetention</c> rules.
    /// </summary>
    public static readonly RetentionRule Retention =
        new("outbox_messages", "sent_at", Keep: TimeSpan.FromDays(1), AtLeast: TimeSpan.Zero, Condition: "sent_at IS NOT NULL");

    /// <summary>
    /// The service's outbox over <typeparamref name="TContext"/> (which applies <see cref="OutboxMessageConfiguration"/>): the
    /// scoped writer <see cref="Outbox{TContext}"/> and the background <see cref="OutboxDispatcher{TContext}"/>.
    /// </summary>
    public static IHostApplicationBuilder AddOutbox<TContext>(this IHostApplicationBuilder builder, Action<OutboxOptions<TContext>> configure)
        where TContext : DbContext
    {
        var options = new OutboxOptions<TContext>();
        configure(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<OutboxAcknowledgements<TContext>>();
        builder.Services.AddScoped<Outbox<TContext>>();
        builder.Services.AddSingleton<OutboxDispatcher<TContext>>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher<TContext>>());
        return builder;
    }
}
