using MassTransit;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>A recipient's START/ALTA or STOP/SALIR to the workspace's number, as their SMS marketing consent (the latest wins).</summary>
public sealed class SmsConsentChangedConsumer(EngineDbContext db) : IConsumer<SmsConsentChanged>
{
    public Task Consume(ConsumeContext<SmsConsentChanged> context)
    {
        var m = context.Message;
        return SmsConsents.RecordAsync(db, [new SmsConsent
        {
            WorkspaceId = m.WorkspaceId, Phone = m.Phone, Subscribed = m.Subscribed, Source = m.Source, ChangedAt = m.ChangedAt,
        }], context.CancellationToken);
    }
}
