using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.Rules;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>
/// What became of a send_sms step after the engine asked for it: sms-sender's outcome is written onto the step (found by
/// its ResultId = SmsRequested.RequestId) and its run, so the merchant's run history shows it — a refusal or a failed
/// delivery with Twilio's code and a Spanish reason, an opted-out recipient as skipped. Idempotent: the same outcome
/// writes the same values; a test SMS (no step) is ignored.
/// </summary>
public sealed partial class SmsOutcomeConsumer(EngineDbContext db, ILogger<SmsOutcomeConsumer> logger)
    : IConsumer<SmsFailed>, IConsumer<SmsSkipped>, IConsumer<SmsDeliveryFailed>
{
    public Task Consume(ConsumeContext<SmsFailed> context)
    {
        var failed = context.Message;
        var (code, reason) = failed.ErrorCode is { } twilioCode
            ? (twilioCode.ToString(System.Globalization.CultureInfo.InvariantCulture), TwilioErrorCodes.SpanishReason(twilioCode))
            : (failed.ErrorMessage, SpanishReason(failed.ErrorMessage));
        return RecordAsync(failed.RequestId, RunStatuses.Failed, code, reason, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<SmsSkipped> context) =>
        RecordAsync(context.Message.RequestId, RunStatuses.Skipped, context.Message.Code, context.Message.Code switch
        {
            SmsSkipped.AutomationDisabled => Texts.SmsAutomationDisabled,
            SmsSkipped.Expired => Texts.SmsExpired,
            SmsSkipped.CustomerRedacted => Texts.CustomerDataRedacted,
            _ => Texts.SmsRecipientUnsubscribed,
        }, context.CancellationToken);

    /// <summary>A message Twilio accepted that the carrier did not deliver: the step fails with Twilio's code.</summary>
    public Task Consume(ConsumeContext<SmsDeliveryFailed> context)
    {
        var failed = context.Message;
        var code = failed.ErrorCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? failed.Status;
        return RecordAsync(failed.RequestId, RunStatuses.Failed, code, TwilioErrorCodes.SpanishReason(failed.ErrorCode), context.CancellationToken);
    }

    async Task RecordAsync(Guid requestId, string status, string code, string reason, CancellationToken ct)
    {
        var step = await db.RunSteps.FirstOrDefaultAsync(s => s.ResultId == requestId, ct);
        if (step is null) return;
        step.Status = status;
        step.ErrorCode = code;
        step.Error = reason;
        if (status == RunStatuses.Failed)
            await db.Runs.Where(r => r.Id == step.RunId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatuses.Failed), ct);
        await db.SaveChangesAsync(ct);
        LogRecorded(requestId, status, code);
    }

    static string SpanishReason(string code) => code switch
    {
        SmsFailureCodes.TwilioNotConfigured => Texts.SmsTwilioNotConfigured,
        SmsFailureCodes.TwilioUnreachable => Texts.SmsTwilioUnreachable,
        _ => Texts.SmsNotSent,
    };

    [LoggerMessage(2311, LogLevel.Information, "SMS {RequestId}: step recorded as {Status} ({Code})")]
    partial void LogRecorded(Guid requestId, string status, string code);
}
