using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.ConfigApi.Data;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;

namespace MorfX.ConfigApi.Consumers;

/// <summary>
/// Shopify's customers/redact and shop/redact, as config-api answers them: the customer's data requests and what every
/// service reported for them go (every request of the shop, for shop/redact), and so do the orders reconciliation left in the
/// outbox. A bounded batch of requests per statement, so a large shop is never one long transaction. Idempotent: erasing
/// twice finds nothing the second time.
/// </summary>
public sealed class ShopifyRedactionConsumer(ConfigDbContext db) : IConsumer<ShopifyCustomerRedactRequested>, IConsumer<ShopifyShopRedactRequested>
{
    const int BatchSize = 500;

    public async Task Consume(ConsumeContext<ShopifyCustomerRedactRequested> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var (customer, email, phone) = (m.Customer.Id, m.Customer.Email, m.Customer.Phone);
        long[] orders = [.. m.OrdersToRedact];
        await EraseRequestsAsync(m.WorkspaceId, false, customer, email, phone, orders, ct);
        await OutboxErasure.EraseAsync(db, m.WorkspaceId,
            new OutboxErasure.Customer(customer, orders, [.. new[] { email, phone }.OfType<string>()]), [], ct);
    }

    public async Task Consume(ConsumeContext<ShopifyShopRedactRequested> context)
    {
        var ws = context.Message.WorkspaceId;
        await EraseRequestsAsync(ws, true, null, null, null, [], context.CancellationToken);
        await OutboxErasure.EraseAsync(db, ws, null, [], context.CancellationToken);
    }

    async Task EraseRequestsAsync(Guid ws, bool whole, long? customer, string? email, string? phone, long[] orders, CancellationToken ct)
    {
        while (await db.Database.ExecuteSqlInterpolatedAsync($"""
            WITH batch AS (
                SELECT request_id FROM customer_data_requests
                WHERE workspace_id = {ws}
                  AND ({whole} OR customer_id = {customer}::bigint OR lower(customer_email) = lower({email}::text) OR customer_phone = {phone}::text
                       OR orders_requested && {orders})
                LIMIT {BatchSize}),
            reports AS (DELETE FROM customer_data_reports AS r USING batch WHERE r.request_id = batch.request_id)
            DELETE FROM customer_data_requests AS r USING batch WHERE r.request_id = batch.request_id
            """, ct) > 0)
        {
        }
    }
}
