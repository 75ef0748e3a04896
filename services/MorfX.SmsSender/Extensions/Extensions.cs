using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MorfX.ConfigApiClient;
using MorfX.Contracts;
using MorfX.Data;
using MorfX.Data.Redaction;
using MorfX.Messaging;
using MorfX.Messaging.Fairness;
using MorfX.Messaging.Outbox;
using MorfX.ServiceDefaults;
using MorfX.SmsSender.Consumers;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Lifecycle;
using MorfX.SmsSender.OptOuts;
using MorfX.SmsSender.Pricing;
using MorfX.SmsSender.Sending;
using MorfX.SmsSender.Twilio;

namespace MorfX.SmsSender.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<SmsDbContext>(ResourceNames.SmsDb);
        // A request's row is its exactly-once key and the target of Twilio's callbacks: only finished ones go (no lease, price
        // check or redelivery pending), long after any redelivery of the request or callback could arrive.
        builder.AddRetention<SmsDbContext>(new RetentionRule("sms_messages", "created_at", Keep: TimeSpan.FromDays(90),
            AtLeast: TimeSpan.FromDays(7), Condition: SmsLifecycle.RetentionCondition),
            // A redacted customer's phones (hashed) outlive any request of theirs still queued or parked (Deferral:MaxWait, a day).
            new RetentionRule("redacted_recipients", "redacted_at", Keep: TimeSpan.FromDays(30), AtLeast: TimeSpan.FromDays(7)),
            OutboxExtensions.Retention);
        // What the background workers announce commits with the rows that caused it (a consumer's announcements ride on its
        // message instead: acknowledged after the confirmed publish, announced again on redelivery).
        builder.AddOutbox<SmsDbContext>(o => o
            .Message<SmsActivity>().Message<SmsDeliveryFailed>().Message<SmsRequested>());
        builder.Services.AddIntegrationLookup(builder.Configuration);
        builder.AddTwilioClient();

        builder.Services.AddSmsSenderOptions(builder.Configuration);
        builder.AddRedactionHasher();
        builder.Services.AddSingleton<SmsMetrics>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PricingDelay>();
        builder.Services.AddSingleton<SmsActivityPublisher>();
        builder.Services.AddSingleton<SmsWrites>();
        builder.Services.AddScoped<SmsDispatcher>();
        builder.Services.AddScoped<OptOutRegistry>();
        builder.Services.AddScoped<TwilioKeywordTimes>();
        builder.Services.AddScoped<SmsRequestDeferrals>();

        builder.Services.AddBulkLanes(BulkLanes.Queues, BulkLanes.WorkspaceOf);
        builder.AddServiceBus(ResourceNames.SmsSender, x =>
        {
            // Registered with its definition first: the fair lanes add the same consumer again, which keeps this definition.
            x.AddConsumer<SmsRequestedConsumer, SmsRequestedConsumerDefinition>();
            x.AddFairConsumer<SmsRequestedConsumer, SmsRequested>();
            x.AddConsumer<TwilioStatusReportedConsumer, BatchConsumerDefinition<TwilioStatusReportedConsumer>>();
            x.AddConsumer<SendTestSmsConsumer>();
            x.AddConsumer<SmsRecipientsRedactedConsumer>();
            x.AddConsumer<CustomerSmsDataRequestedConsumer>();
            x.AddConsumer<TwilioInboundReceivedConsumer>();
            x.AddConsumer<AutomationStoppedConsumer>();
            x.AddConsumer<SmsOptOutRequestsConsumer>();
            x.AddIntegrationLookupInvalidation();
        });
        builder.Services.AddHostedService<PriceReconciler>();
        builder.Services.AddHostedService<DeliveryRetrier>();
        builder.Services.AddSingleton<DeferredRequestReleaser>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeferredRequestReleaser>());
    }
}
