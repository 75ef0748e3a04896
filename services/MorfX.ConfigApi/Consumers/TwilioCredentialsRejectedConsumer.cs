using MassTransit;
using MorfX.ConfigApi.Apis;
using MorfX.ConfigApi.Data;
using MorfX.Contracts;
using MorfX.ServiceDefaults.Outbox;

namespace MorfX.ConfigApi.Consumers;

/// <summary>Twilio refused the workspace's credentials (sms-sender saw error 20003): flag Twilio as failing and announce it.</summary>
public sealed partial class TwilioCredentialsRejectedConsumer(ConfigDbContext db, Outbox<ConfigDbContext> outbox, ILogger<TwilioCredentialsRejectedConsumer> logger)
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
        // Committed with the flag: a redelivery returns early above, so the announcement must not depend on this publish.
        IntegrationServices.Announce(outbox, new IntegrationChanged(
            rejected.WorkspaceId, IntegrationKinds.Twilio, IntegrationStatuses.Failing, null, null, twilio.UpdatedAt));
        await db.SaveChangesAsync(context.CancellationToken);
        LogFlagged(rejected.WorkspaceId, rejected.ErrorCode);
        await outbox.FlushAsync(context.CancellationToken);
    }

    [LoggerMessage(7001, LogLevel.Warning, "Twilio rejected the credentials of workspace {WorkspaceId} (error {ErrorCode}): flagged as failing")]
    partial void LogFlagged(Guid workspaceId, int errorCode);
}
