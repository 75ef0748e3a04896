using MassTransit;
using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>whatsapp.message_received, from the existing WhatsApp service. Idempotency: TriggerProcessor skips an EventId already handled.</summary>
public sealed class WhatsAppMessageReceivedConsumer(TriggerProcessor processor) : IConsumer<WhatsAppMessageReceived>
{
    public Task Consume(ConsumeContext<WhatsAppMessageReceived> context) =>
        processor.HandleAsync(context, context.Message, TriggerNames.WhatsAppMessageReceived, 0,
            TriggerVariables.ForWhatsApp(context.Message));
}
