using MassTransit;
using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>crm.tag_added (from this service's CRM store). Idempotency: TriggerProcessor skips an EventId already handled.</summary>
public sealed class CrmTagAddedConsumer(TriggerProcessor processor) : IConsumer<CrmTagAdded>
{
    public Task Consume(ConsumeContext<CrmTagAdded> context) =>
        processor.HandleAsync(context, context.Message, TriggerNames.CrmTagAdded, context.Message.Depth,
            TriggerVariables.ForContact(context.Message.Contact, context.Message.Tag));
}
