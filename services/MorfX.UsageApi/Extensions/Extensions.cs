using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MorfX.Data;
using MorfX.Messaging;
using MorfX.ServiceDefaults;
using MorfX.UsageApi.Apis;
using MorfX.UsageApi.Consumers;
using MorfX.UsageApi.Data;
using MorfX.UsageApi.Queries;

namespace MorfX.UsageApi.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<UsageDbContext>(ResourceNames.UsageDb);
        // The usage dashboard's history: a year and a month, so this month can be set beside the same month last year.
        builder.AddRetention<UsageDbContext>(
            new RetentionRule("sms_usage", "sent_at", Keep: TimeSpan.FromDays(400), AtLeast: TimeSpan.FromDays(31)));
        builder.AddServiceBus(ResourceNames.UsageApi, x =>
        {
            x.AddConsumer<SmsFailedConsumer, BatchConsumerDefinition<SmsFailedConsumer>>();
            x.AddConsumer<SmsActivityConsumer, BatchConsumerDefinition<SmsActivityConsumer>>();
            x.AddConsumer<SmsRecipientsRedactedConsumer>();
            x.AddConsumer<CustomerSmsDataRequestedConsumer>();
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<SmsUsageWriter>();
        builder.Services.AddScoped<SmsUsageQuery>();
    }
}
