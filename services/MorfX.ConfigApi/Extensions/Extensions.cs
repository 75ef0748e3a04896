using System.Threading.RateLimiting;
using MassTransit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MorfX.ConfigApi.Apis;
using MorfX.ConfigApi.Consumers;
using MorfX.ConfigApi.Data;
using MorfX.ConfigApi.Integrations;
using MorfX.ConfigApi.Messaging;
using MorfX.ConfigApi.Shopify;
using MorfX.Contracts;
using MorfX.Data;
using MorfX.Messaging;
using MorfX.Messaging.Outbox;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.AddServiceDatabase<ConfigDbContext>(ResourceNames.ConfigDb);
        // Shopify's customers/data_request and what each service reported (personal data): a year, and never less than the
        // month the merchant has to answer the customer.
        builder.AddRetention<ConfigDbContext>(
            new RetentionRule("customer_data_requests", "requested_at", Keep: TimeSpan.FromDays(365), AtLeast: TimeSpan.FromDays(31)),
            new RetentionRule("customer_data_reports", "reported_at", Keep: TimeSpan.FromDays(365), AtLeast: TimeSpan.FromDays(31)),
            // Shopify delivery health shows a week of recoveries; repairs are kept a month for support.
            new RetentionRule("shopify_recovered_orders", "recovered_at", Keep: TimeSpan.FromDays(8), AtLeast: TimeSpan.FromDays(8)),
            new RetentionRule("shopify_subscription_repairs", "repaired_at", Keep: TimeSpan.FromDays(31), AtLeast: TimeSpan.FromDays(8)),
            // The look-up caches' change feed: an instance further behind than this starts over with an empty cache.
            new RetentionRule("integration_changes", "changed_at", Keep: TimeSpan.FromDays(1), AtLeast: TimeSpan.FromHours(1)),
            // A removed shop's webhook secrets, for its compliance webhooks: shop/redact comes 48 h after the uninstall (plus
            // Shopify's 4 h of retries), and the uninstall may come weeks after the removal.
            new RetentionRule("shopify_secret_tombstones", "deleted_at", Keep: TimeSpan.FromDays(60), AtLeast: TimeSpan.FromDays(3)),
            OutboxExtensions.Retention);
        // A saved integration and its IntegrationChanged commit together (IntegrationAnnouncements).
        builder.AddOutbox<ConfigDbContext>(o =>
        {
            o.Message<IntegrationChanged>();
            // Orders reconciliation found (ShopReconciliation): the events their webhooks would have made.
            o.Message<ShopifyOrderCreated>();
            o.Message<ShopifyDraftOrderCreated>();
            o.Message<ShopifyOrderUpdated>();
            // A saved messaging settings form and its WorkspaceMessagingChanged (MessagingSettingsStore).
            o.Message<WorkspaceMessagingChanged>();
            // Someone waits for the save: a broker that is down does not hold the answer longer than this.
            o.PublishTimeout = TimeSpan.FromSeconds(2);
        });

        // Secrets at rest: Data Protection with its key ring in the database, shared by every instance.
        builder.Services.AddDataProtection().SetApplicationName("MorfX.ConfigApi");
        var keyEncryptionKey = KeyRingEncryption.KeyFrom(config);
        // A copy of configdb must not reveal every tenant's secrets: Production does not start with a plain key ring.
        if (keyEncryptionKey is null && builder.Environment.IsProduction())
            throw new InvalidOperationException(
                $"config-api refuses to start in Production with an unprotected Data Protection key ring: set {KeyRingEncryption.ConfigKey} " +
                $"(environment variable {KeyRingEncryption.ConfigKey.Replace(":", "__")}), the base64 of 32 random bytes kept outside the database " +
                "(a Kubernetes Secret fed from your KMS; see docs/decisions/0016).");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceScopeFactory>((options, scopes) =>
        {
            options.XmlRepository = new DatabaseXmlRepository(scopes);
            if (keyEncryptionKey is not null) options.XmlEncryptor = new KeyRingEncryptor(keyEncryptionKey);
        });
        builder.Services.AddSingleton<SecretProtector>();
        builder.Services.AddScoped<IntegrationAnnouncements>();
        builder.Services.AddScoped<TwilioConnection>();
        builder.Services.AddScoped<ShopifyConnection>();
        builder.Services.AddScoped<MessagingSettingsStore>();

        builder.Services.AddConfigApiOptions(config);
        // The request client's timeout is fixed when the bus is configured: read from the same, validated section.
        var testSmsTimeout = (config.GetSection(TestSmsOptions.Section).Get<TestSmsOptions>() ?? new()).Timeout;
        builder.AddServiceBus(ResourceNames.ConfigApi, x =>
        {
            x.AddConsumer<TwilioCredentialsRejectedConsumer>();
            x.AddConsumer<ShopifyWebhookDeliveredConsumer>();
            x.AddConsumer<ShopifyOrdersRecoveredConsumer>();
            x.AddConsumer<CustomerDataRequestConsumer>();
            x.AddConsumer<ShopifyRedactionConsumer>();
            x.AddRequestClient<SendTestSms>(RequestTimeout.After(ms: (int)testSmsTimeout.TotalMilliseconds));
            x.AddRequestClient<ListSmsOptOuts>(RequestTimeout.After(s: 10));
            x.AddRequestClient<LiftSmsOptOut>(RequestTimeout.After(s: 10));
        });

        builder.Services.AddHttpClient<ShopifyAdminClient>(c => c.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ShopifyMetrics>();
        builder.Services.AddScoped<ShopReconciliation>();
        builder.Services.AddSingleton<ShopifyReconciler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ShopifyReconciler>());

        // "Probar conexión" sends a real, paid SMS: a few per workspace per window.
        builder.Services.AddRateLimiter(o =>
        {
            o.AddPolicy(TwilioApi.TestSmsRateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.User.FindFirst(MorfXClaims.WorkspaceId)?.Value ?? "",
                _ => TestSmsLimit(http)));
            o.OnRejected = async (context, ct) =>
            {
                var limit = TestSmsLimit(context.HttpContext);
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
                await ProblemCode.RateLimited.With(Texts.TestSmsRateLimited(limit.PermitLimit, limit.Window.TotalMinutes))
                    .ExecuteAsync(context.HttpContext);
            };
        });
    }

    static FixedWindowRateLimiterOptions TestSmsLimit(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<TestSmsOptions>>().Value;
        return new FixedWindowRateLimiterOptions { PermitLimit = options.PermitLimit, Window = options.Window, QueueLimit = 0 };
    }
}
