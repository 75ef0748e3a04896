using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.ConfigApi.Data;
using MorfX.Contracts;

namespace MorfX.ConfigApi.Consumers;

/// <summary>
/// Records Shopify's customers/data_request and collects what each service reports holding for it. Idempotent: both
/// are inserts that a redelivery finds done (a report repeated by its service replaces the earlier one).
/// </summary>
public sealed class CustomerDataRequestConsumer(ConfigDbContext db) : IConsumer<ShopifyCustomerDataRequested>, IConsumer<CustomerDataReported>
{
    public async Task Consume(ConsumeContext<ShopifyCustomerDataRequested> context)
    {
        var m = context.Message;
        long[] orders = [.. m.OrdersRequested];
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO customer_data_requests (request_id, workspace_id, shop_domain, shopify_request_id, customer_id, customer_email,
                                                customer_phone, orders_requested, requested_at)
            VALUES ({m.RequestId}, {m.WorkspaceId}, {m.ShopDomain}, {m.ShopifyRequestId}, {m.Customer.Id}, {m.Customer.Email},
                    {m.Customer.Phone}, {orders}, {m.RequestedAt})
            ON CONFLICT (request_id) DO NOTHING
            """, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<CustomerDataReported> context)
    {
        var m = context.Message;
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO customer_data_reports (request_id, service, workspace_id, data, reported_at)
            VALUES ({m.RequestId}, {m.Service}, {m.WorkspaceId}, {m.DataJson}, {m.ReportedAt})
            ON CONFLICT (request_id, service) DO UPDATE SET data = EXCLUDED.data, reported_at = EXCLUDED.reported_at
            """, context.CancellationToken);
    }
}
