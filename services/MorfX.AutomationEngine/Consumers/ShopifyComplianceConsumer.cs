using MassTransit;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Compliance;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>
/// Shopify's compliance webhooks, as the engine answers them (see <see cref="ShopifyCustomerData"/>). Idempotent by
/// nature: erasing twice finds nothing the second time, and a repeated report carries the same message ids.
/// </summary>
public sealed class ShopifyComplianceConsumer(ShopifyCustomerData data, Outbox<EngineDbContext> outbox) :
    IConsumer<ShopifyCustomerRedactRequested>, IConsumer<ShopifyShopRedactRequested>, IConsumer<ShopifyCustomerDataRequested>
{
    public async Task Consume(ConsumeContext<ShopifyCustomerRedactRequested> context)
    {
        OutboxErasure.Customer? customer = null;
        await SaveAndAnnounceAsync(async ct => customer = await data.RedactCustomerAsync(context.Message, ct), context.CancellationToken);
        await data.EraseOutboxAsync(context.Message.WorkspaceId, customer!, context.CancellationToken);
    }

    /// <summary>A page per transaction (<see cref="ShopifyCustomerData.RedactShopPageAsync"/>): a large shop holds no long lock, and a redelivery after a crash goes on from the first page not committed.</summary>
    public async Task Consume(ConsumeContext<ShopifyShopRedactRequested> context)
    {
        var (m, ct) = (context.Message, context.CancellationToken);
        var more = true;
        while (more) await SaveAndAnnounceAsync(async c => more = await data.RedactShopPageAsync(m, c), ct);
        await data.ForgetShopConsentsAsync(m.WorkspaceId, ct);
        await data.EraseOutboxAsync(m.WorkspaceId, null, ct);
    }

    public Task Consume(ConsumeContext<ShopifyCustomerDataRequested> context) =>
        SaveAndAnnounceAsync(ct => data.ReportCustomerAsync(context.Message, ct), context.CancellationToken);

    async Task SaveAndAnnounceAsync(Func<CancellationToken, Task> work, CancellationToken ct)
    {
        await outbox.SaveInTransactionAsync(() => work(ct), ct);
        await outbox.FlushAsync(ct);
    }
}
