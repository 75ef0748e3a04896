using MassTransit;
using MorfX.Contracts;
using MorfX.Testing;

namespace MorfX.WebhookIngest.Tests;

/// <summary>
/// What webhook-ingest publishes, as the engine, config-api and sms-sender would see it: TwilioStatusReports recorded itself
/// and as each status callback it carries.
/// </summary>
public static class PublishedEvents
{
    public static Task<BusObserver> StartAsync() => BusObserver.StartAsync("webhook-ingest-tests-observer", (e, record) =>
    {
        // Webhook-ingest's own: config-api's reconciliation publishes the same orders too (Reconciled), read from the emulator.
        e.Handler<ShopifyOrderCreated>(c => c.Message.Reconciled ? Task.CompletedTask : record(c.Message));
        e.Handler<ShopifyOrderUpdated>(c => c.Message.Reconciled ? Task.CompletedTask : record(c.Message));
        e.Handler<ShopifyDraftOrderCreated>(c => c.Message.Reconciled ? Task.CompletedTask : record(c.Message));
        e.Handler<ShopifyWebhookDelivered>(c => record(c.Message));
        e.Handler<TwilioStatusReported>(c => record(c.Message));
        e.Handler<TwilioStatusReports>(async c =>
        {
            await record(c.Message);
            foreach (var report in c.Message.Reports) await record(report);
        });
        e.Handler<ShopifyCustomerDataRequested>(c => record(c.Message));
        e.Handler<ShopifyCustomerRedactRequested>(c => record(c.Message));
        e.Handler<ShopifyShopRedactRequested>(c => record(c.Message));
        e.Handler<TwilioInboundReceived>(c => record(c.Message));
    });
}
