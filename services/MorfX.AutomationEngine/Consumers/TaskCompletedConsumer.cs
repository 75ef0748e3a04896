using MassTransit;
using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>task.completed. Idempotency: TriggerProcessor skips an EventId already handled.</summary>
public sealed class TaskCompletedConsumer(TriggerProcessor processor) : IConsumer<TaskCompleted>
{
    public Task Consume(ConsumeContext<TaskCompleted> context) =>
        processor.HandleAsync(context, context.Message, TriggerNames.TaskCompleted, context.Message.Depth,
            TriggerVariables.ForTask(context.Message.Task));
}
