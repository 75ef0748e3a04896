using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.SmsSender.Data;

namespace MorfX.SmsSender.Consumers;

/// <summary>
/// The stop button: records when an automation was stopped (the latest time wins, so a redelivered or older stop changes
/// nothing). The dispatcher skips the automation's requests from before it (<see cref="Sending.SmsDispatcher"/>).
/// </summary>
public sealed class AutomationStoppedConsumer(SmsDbContext db) : IConsumer<AutomationStopped>
{
    public Task Consume(ConsumeContext<AutomationStopped> context)
    {
        var stop = context.Message;
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO automation_stops (automation_id, workspace_id, stopped_at) VALUES ({stop.AutomationId}, {stop.WorkspaceId}, {stop.StoppedAt})
            ON CONFLICT (automation_id) DO UPDATE SET stopped_at = GREATEST(automation_stops.stopped_at, EXCLUDED.stopped_at)
            """, context.CancellationToken);
    }
}
