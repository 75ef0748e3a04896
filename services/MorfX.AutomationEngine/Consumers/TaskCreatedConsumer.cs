using MassTransit;
using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>task.created. Idempotency: TriggerProcessor skips an EventId already handled.</summary>
public sealed class TaskCreatedConsumer(TriggerProcessor processor) : IConsumer<TaskCreated>
{
    public Task Consume(ConsumeContext<TaskCreated> context) =>
        processor.HandleAsync(context, context.Message, TriggerNames.TaskCreated, context.Message.Depth,
            TriggerVariables.ForTask(context.Message.Task));
}
