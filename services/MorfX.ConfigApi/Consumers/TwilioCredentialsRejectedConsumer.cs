using MassTransit;
using MorfX.ConfigApi.Integrations;
using MorfX.Contracts;

namespace MorfX.ConfigApi.Consumers;

/// <summary>
/// Twilio refused the workspace's credentials (sms-sender saw error 20003): flag Twilio as failing and announce it, unless the
/// refused token is not the one saved now.
/// </summary>
public sealed partial class TwilioCredentialsRejectedConsumer(TwilioConnection twilio, ILogger<TwilioCredentialsRejectedConsumer> logger)
    : IConsumer<TwilioCredentialsRejected>
{
    public async Task Consume(ConsumeContext<TwilioCredentialsRejected> context)
    {
        var rejected = context.Message;
        if (await twilio.FlagRejectedAsync(rejected.WorkspaceId, rejected.RejectedAt, rejected.TokenFingerprint, context.CancellationToken))
            LogFlagged(rejected.WorkspaceId, rejected.ErrorCode);
    }

    [LoggerMessage(7001, LogLevel.Warning, "Twilio rejected the credentials of workspace {WorkspaceId} (error {ErrorCode}): flagged as failing")]
    partial void LogFlagged(Guid workspaceId, int errorCode);
}
