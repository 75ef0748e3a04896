using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// CRM and task events: nothing but the engine's own automations consume them, so one is written to the outbox (and published)
/// only when the workspace has an enabled automation on its trigger; otherwise it would cost a row and a confirmed publish for nobody.
/// </summary>
public sealed class FanOutEvents(EngineDbContext db, Outbox<EngineDbContext> outbox, WorkspaceCache cache)
{
    static readonly Dictionary<Type, string> Triggers = new()
    {
        [typeof(CrmContactCreated)] = TriggerNames.CrmContactCreated, [typeof(CrmOrderCreated)] = TriggerNames.CrmOrderCreated,
        [typeof(CrmTagAdded)] = TriggerNames.CrmTagAdded, [typeof(TaskCreated)] = TriggerNames.TaskCreated,
    };

    public async Task AddAsync<T>(T message, CancellationToken ct) where T : class, IFanOutEvent
    {
        if (await cache.HasEnabledAutomationAsync(db, message.WorkspaceId, Triggers[typeof(T)], ct)) outbox.Add(message.EventId, message);
    }
}
