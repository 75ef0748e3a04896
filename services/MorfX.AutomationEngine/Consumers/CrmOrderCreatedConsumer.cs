using MassTransit;
using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>crm.order_created (from this service's CRM store). Idempotency: TriggerProcessor skips an EventId already handled.</summary>
public sealed class CrmOrderCreatedConsumer(TriggerProcessor processor) : IConsumer<CrmOrderCreated>
{
    public Task Consume(ConsumeContext<CrmOrderCreated> context) =>
        processor.HandleAsync(context, context.Message, TriggerNames.CrmOrderCreated, context.Message.Depth,
            TriggerVariables.ForCrmOrder(context.Message.Order, context.Message.Contact));
}
