using MassTransit;
using MorfX.ConfigApi.Data;
using MorfX.Contracts;

namespace MorfX.ConfigApi.Consumers;

/// <summary>Twilio refused the workspace's credentials (sms-sender saw error 20003): flag Twilio as failing and announce it.</summary>
public sealed partial class TwilioCredentialsRejectedConsumer(ConfigDbContext db, ILogger<TwilioCredentialsRejectedConsumer> logger)
    : IConsumer<TwilioCredentialsRejected>
{
    public async Task Consume(ConsumeContext<TwilioCredentialsRejected> context)
    {
        var rejected = context.Message;
        var twilio = await db.TwilioIntegrations.FindAsync([rejected.WorkspaceId], context.CancellationToken);
        // Idempotent: already flagged, removed, or credentials saved after the rejection (they get their own chance).
        if (twilio is null || twilio.Status == IntegrationStatuses.Failing || twilio.UpdatedAt > rejected.RejectedAt) return;

        twilio.Status = IntegrationStatuses.Failing;
        twilio.UpdatedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(context.CancellationToken);
        LogFlagged(rejected.WorkspaceId, rejected.ErrorCode);

        // Sent by the in-memory outbox once this consumer has succeeded.
        await context.Publish(new IntegrationChanged(
            rejected.WorkspaceId, IntegrationKinds.Twilio, IntegrationStatuses.Failing, null, null, twilio.UpdatedAt));
    }

    [LoggerMessage(7001, LogLevel.Warning, "Twilio rejected the credentials of workspace {WorkspaceId} (error {ErrorCode}): flagged as failing")]
    partial void LogFlagged(Guid workspaceId, int errorCode);
}
