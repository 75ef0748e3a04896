using System.Text.Json;
using MorfX.ConfigApiClient;
using MorfX.Contracts;
using MorfX.SmsSender.Twilio;

namespace MorfX.SmsSender.OptOuts;

/// <summary>
/// Twilio's time for an inbound SMS: its Message resource's date_created (when Twilio received it), fetched with the
/// workspace's credentials. Twilio's inbound webhook carries no time of its own, and MorfX's receive time is not the order the
/// customer wrote in (a retry or an outage can hold one keyword back). Null when it cannot be read; the registry then lets an
/// opt-out win (<see cref="OptOutRegistry"/>).
/// </summary>
public sealed partial class TwilioKeywordTimes(IntegrationLookup lookup, TwilioMessagesClient twilio, ILogger<TwilioKeywordTimes> logger)
{
    static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    public async Task<DateTimeOffset?> ReadAsync(TwilioInboundReceived inbound, CancellationToken ct)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(Budget);
        try
        {
            if (await lookup.GetTwilioAsync(inbound.WorkspaceId, budget.Token) is not { } credentials) return Unknown(inbound, "no_twilio_credentials");
            return (await twilio.FetchMessageAsync(credentials, inbound.MessageSid, budget.Token)).CreatedAt ?? Unknown(inbound, "no_date_created");
        }
        catch (Exception e) when (e is TwilioApiException or TwilioConnectionException or HttpRequestException or JsonException or NotSupportedException
                                       || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return Unknown(inbound, e.GetType().Name);
        }
    }

    DateTimeOffset? Unknown(TwilioInboundReceived inbound, string reason)
    {
        LogUnknown(inbound.MessageSid, inbound.WorkspaceId, reason);
        return null;
    }

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "Twilio's time of inbound SMS {MessageSid} (workspace {WorkspaceId}) could not be read ({Reason}); an opt-out of unknown time wins over any opt-in")]
    partial void LogUnknown(string messageSid, Guid workspaceId, string reason);
}
