using MassTransit;
using MorfX.Contracts;
using MorfX.Testing;
using Npgsql;
using NUnit.Framework;
using static MorfX.ConfigApi.Tests.ConfigApiFixture;

namespace MorfX.ConfigApi.Tests;

/// <summary>
/// What a customers/data_request produced (the request and every service's report) is the customer's data too: customers/redact
/// of that customer erases it, shop/redact erases the shop's, and nobody else's goes.
/// </summary>
public class DataRequestRedactionTests
{
    static readonly ShopifyCustomerRef Ana = new(207119551, "ana@example.com", "+573005550199");
    static readonly ShopifyCustomerRef Luis = new(207119552, "luis@example.com", "+573005550100");

    [Test]
    public async Task A_customer_redaction_erases_that_customers_data_requests_and_their_reports()
    {
        var workspace = Guid.NewGuid();
        await RequestAndReportAsync(workspace, Ana);
        await RequestAndReportAsync(workspace, Luis);

        await Events.Bus.Publish(new ShopifyCustomerRedactRequested(Guid.NewGuid(), workspace, "tienda.myshopify.com",
            new ShopifyCustomerRef(Ana.Id, "ANA@example.com", null), [], DateTimeOffset.UtcNow));

        await Eventually.Get(() => RowsNamingAsync(workspace, Ana.Phone!, Ana.Email!), n => n == 0, because: "Ana's requests and reports erased");
        Assert.That(await RowsNamingAsync(workspace, Luis.Phone!, Luis.Email!), Is.EqualTo(2), "Luis's request and report stay");
    }

    [Test]
    public async Task A_shop_redaction_erases_every_data_request_of_the_shop()
    {
        var (workspace, neighbour) = (Guid.NewGuid(), Guid.NewGuid());
        await RequestAndReportAsync(workspace, Ana);
        await RequestAndReportAsync(workspace, Luis);
        await RequestAndReportAsync(neighbour, Ana);

        await Events.Bus.Publish(new ShopifyShopRedactRequested(Guid.NewGuid(), workspace, "tienda.myshopify.com", DateTimeOffset.UtcNow));

        await Eventually.Get(() => RowsNamingAsync(workspace, "%"), n => n == 0, because: "every request and report of the shop");
        Assert.That(await RowsNamingAsync(neighbour, Ana.Phone!), Is.EqualTo(2), "another shop's stay");
    }

    /// <summary>A data request for the customer and sms-sender's report of the messages it holds for them.</summary>
    static async Task RequestAndReportAsync(Guid workspace, ShopifyCustomerRef customer)
    {
        var requestId = Guid.NewGuid();
        await Events.Bus.Publish(new ShopifyCustomerDataRequested(requestId, workspace, "tienda.myshopify.com", 9999, customer, [299938], DateTimeOffset.UtcNow));
        await Events.Bus.Publish(new CustomerDataReported(requestId, workspace, "sms-sender",
            $$"""{"messages":[{"to":"{{customer.Phone}}","body":"Hola, tu pedido va en camino"}]}""", DateTimeOffset.UtcNow));
        await Eventually.Get(() => RowsNamingAsync(workspace, customer.Phone!), n => n >= 2, because: "the request and its report recorded");
    }

    /// <summary>The workspace's data requests and reports whose text contains any of <paramref name="data"/> (LIKE patterns), without case.</summary>
    static async Task<long> RowsNamingAsync(Guid workspace, params string[] data)
    {
        await using var db = await OpenDatabaseAsync();
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM customer_data_requests r WHERE r.workspace_id = @ws AND lower(r::text) LIKE ANY (@data))
                 + (SELECT count(*) FROM customer_data_reports r WHERE r.workspace_id = @ws AND lower(r::text) LIKE ANY (@data))
            """, db);
        command.Parameters.AddWithValue("ws", workspace);
        command.Parameters.AddWithValue("data", data.Select(d => "%" + d.ToLowerInvariant() + "%").ToArray());
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
