using MassTransit;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;
using MorfX.WebhookIngest.Data;

namespace MorfX.WebhookIngest.Consumers;

/// <summary>
/// Shopify's customers/redact and shop/redact, as ingest answers them once it has announced them: its outbox keeps each
/// accepted order whole (sent rows for a day), so the customer's rows (the shop's, for shop/redact) go, this announcement's
/// own row included. Idempotent: erasing twice finds nothing the second time.
/// </summary>
public sealed class ShopifyRedactionConsumer(IngestDbContext db) : IConsumer<ShopifyCustomerRedactRequested>, IConsumer<ShopifyShopRedactRequested>
{
    public Task Consume(ConsumeContext<ShopifyCustomerRedactRequested> context)
    {
        var m = context.Message;
        var customer = new OutboxErasure.Customer(m.Customer.Id, m.OrdersToRedact, [.. new[] { m.Customer.Email, m.Customer.Phone }.OfType<string>()]);
        return OutboxErasure.EraseAsync(db, m.WorkspaceId, customer, [], context.CancellationToken);
    }

    public Task Consume(ConsumeContext<ShopifyShopRedactRequested> context) =>
        OutboxErasure.EraseAsync(db, context.Message.WorkspaceId, null, [], context.CancellationToken);
}
