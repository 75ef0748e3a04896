using MassTransit;
using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>crm.contact_created (from this service's CRM store). Idempotency: TriggerProcessor skips an EventId already handled.</summary>
public sealed class CrmContactCreatedConsumer(TriggerProcessor processor) : IConsumer<CrmContactCreated>
{
    public Task Consume(ConsumeContext<CrmContactCreated> context) =>
        processor.HandleAsync(context, context.Message, TriggerNames.CrmContactCreated, context.Message.Depth,
            TriggerVariables.ForContact(context.Message.Contact));
}
