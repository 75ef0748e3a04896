using Microsoft.Extensions.Options;
using MorfX.AutomationEngine.Apis;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Builder;
using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Compliance;
using MorfX.AutomationEngine.Consumers;
using MorfX.AutomationEngine.Data;
using MorfX.AutomationEngine.Limits;
using MorfX.Contracts;
using MorfX.Data;
using MorfX.Data.Redaction;
using MorfX.Messaging;
using MorfX.Messaging.Fairness;
using MorfX.Messaging.Outbox;
using MorfX.ServiceDefaults;

namespace MorfX.AutomationEngine.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<EngineDbContext>(ResourceNames.EngineDb);
        builder.AddRetention<EngineDbContext>(
            // Trigger events handled, and runs (one per event and automation): both dedupe redelivered events, so they
            // outlive webhook-ingest's own dedupe window. Steps go with their run (ON DELETE CASCADE).
            new RetentionRule("processed_events", "processed_at", Keep: TimeSpan.FromDays(7), AtLeast: TimeSpan.FromDays(2)),
            new RetentionRule("automation_runs", "started_at", Keep: TimeSpan.FromDays(90), AtLeast: TimeSpan.FromDays(2)),
            OutboxExtensions.Retention,
            // The last copy of each Shopify order, for "changed to" conditions: an order untouched this long compares as new.
            new RetentionRule("last_shopify_orders", "seen_at", Keep: TimeSpan.FromDays(180), AtLeast: TimeSpan.FromDays(2)),
            // What the marketing frequency cap counts: its longest period is 90 days.
            new RetentionRule("marketing_sends", "sent_at", Keep: TimeSpan.FromDays(91), AtLeast: TimeSpan.FromDays(91)),
            // Redacted customers: an event about them from before the redaction may still be queued or waiting to be retried.
            new RetentionRule("redacted_customers", "redacted_at", Keep: TimeSpan.FromDays(30), AtLeast: TimeSpan.FromDays(7)));
        builder.Services.AddBulkLanes(BulkLanes.Queues, BulkLanes.WorkspaceOf);
        builder.AddServiceBus(ResourceNames.AutomationEngine, x =>
        {
            x.AddConsumer<IntegrationChangedConsumer>();
            x.AddConsumer<WorkspaceMessagingChangedConsumer>();
            // Every instance drops its cached automations, integrations and messaging settings on a queue of its own.
            x.AddConsumer<WorkspaceCacheInvalidator>().Endpoint(e =>
            {
                e.Temporary = true;
                e.InstanceId = Guid.NewGuid().ToString("N")[..8];
            });
            x.AddFairBatchConsumer<ShopifyOrderCreatedConsumer, ShopifyOrderCreated>();
            x.AddFairBatchConsumer<ShopifyDraftOrderCreatedConsumer, ShopifyDraftOrderCreated>();
            x.AddFairBatchConsumer<ShopifyOrderUpdatedConsumer, ShopifyOrderUpdated>();
            x.AddConsumer<CrmContactCreatedConsumer>();
            x.AddConsumer<CrmOrderCreatedConsumer>();
            x.AddConsumer<CrmTagAddedConsumer>();
            x.AddConsumer<TaskCreatedConsumer>();
            x.AddConsumer<TaskCompletedConsumer>();
            x.AddConsumer<WhatsAppMessageReceivedConsumer>();
            x.AddConsumer<ShopifyComplianceConsumer>();
            x.AddConsumer<SmsOutcomeConsumer>();
            x.AddConsumer<SmsConsentChangedConsumer>();
        });
        builder.Services.AddSingleton<BuilderQuota>();
        builder.Services.AddScoped<TriggerProcessor>();
        builder.Services.AddScoped<AutomationRunner>();
        builder.Services.AddHostedService<RunResumer>();
        builder.Services.AddSingleton<EngineMetrics>();
        // What a trigger causes is written with the runs and the processed mark; SmsRequested leaves first, in its order's trace.
        builder.AddOutbox<EngineDbContext>(o => o
            .Message<SmsRequested>(first: true, traceKey: m => m.Origin.TriggerEventId, span: "automation-engine send_sms")
            .Message<SendWhatsAppRequested>().Message<CrmContactCreated>().Message<CrmOrderCreated>().Message<CrmTagAdded>()
            .Message<TaskCreated>().Message<SmsRecipientsRedacted>().Message<CustomerSmsDataRequested>().Message<CustomerDataReported>()
            .Message<ShopifyOrdersRecovered>().Message<AutomationStopped>());
        builder.Services.AddScoped<FanOutEvents>();
        builder.Services.AddScoped<ShopifyOrderSync>();
        builder.Services.AddScoped<ShopifyOrderCopies>();
        builder.Services.AddSingleton(sp => new WorkspaceCache(sp.GetRequiredService<EngineLimitsOptions>(),
            sp.GetRequiredService<IOptions<WorkspaceCacheOptions>>().Value.MaxCachedWorkspaces));
        builder.Services.AddScoped<AutomationChanges>();
        builder.Services.AddScoped<AutomationStore>();
        builder.Services.AddScoped<ShopifyCustomerData>();
        builder.Services.AddScoped<RedactionTombstones>();
        builder.AddRedactionHasher();
        builder.Services.AddEngineOptions(builder.Configuration);
        builder.Services.AddScoped<AutomationBuilder>();
        // The hot path's first-time work at start-up, not in the first order after a start: the workspace look-ups' queries
        // (no workspace has the empty id) and the template engine's compiler and renderer.
        builder.Services.AddStartupWarmup("workspace look-ups", async (sp, ct) =>
        {
            var (cache, db) = (sp.GetRequiredService<WorkspaceCache>(), sp.GetRequiredService<EngineDbContext>());
            await cache.IntegrationsAsync(db, Guid.Empty, ct);
            await cache.EnabledAutomationsAsync(db, Guid.Empty, TriggerNames.ShopifyOrderCreated, ct);
            cache.InvalidateIntegrations(Guid.Empty);
            cache.InvalidateAutomations(Guid.Empty);
        });
        builder.Services.AddStartupWarmup("templates", (sp, _) =>
        {
            var data = new Dictionary<string, object?> { ["cliente"] = new Dictionary<string, object?> { ["nombre"] = "Ana" } };
            TemplateRenderer.Render("Hola {{cliente.nombre}}{{#if cliente.nombre}}.{{/if}}", data, sp.GetRequiredService<EngineLimitsOptions>());
            return Task.CompletedTask;
        });
    }
}
