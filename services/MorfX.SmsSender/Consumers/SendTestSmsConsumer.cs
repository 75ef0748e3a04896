using MassTransit;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.SmsSender.Sending;

namespace MorfX.SmsSender.Consumers;

/// <summary>
/// config-api's "Probar conexion": sends a fixed text with the workspace's stored credentials and answers at once with
/// the sid or a stable error code (twilio_not_configured, twilio_auth_failed, invalid_phone, twilio_unreachable,
/// twilio_error) and a Spanish explanation. Recorded in sms_messages with origin "test"; the request's id is the
/// idempotency key, so a redelivered request answers with the same message instead of sending another.
/// </summary>
public sealed class SendTestSmsConsumer(SmsDispatcher dispatcher) : IConsumer<SendTestSms>
{
    /// <summary>The test SMS body, unaccented on purpose (see Texts.TestSmsBody).</summary>
    public const string TestBody = Texts.TestSmsBody;

    public async Task Consume(ConsumeContext<SendTestSms> context)
    {
        var test = context.Message;
        if (!PhoneNumbers.IsE164(test.To))
        {
            await context.RespondAsync(Failure(SmsFailureCodes.InvalidPhone, Texts.TestInvalidPhone));
            return;
        }

        var requestId = context.RequestId ?? context.MessageId ?? NewId.NextGuid();
        var request = new SmsRequested(requestId, test.WorkspaceId, test.To, TestBody, [], new SmsOrigin(SmsOrigin.Test, null, null, null), DateTimeOffset.UtcNow);
        DispatchResult result;
        try { result = await dispatcher.DispatchAsync(request, context, throwOnTransient: false, context.CancellationToken); }
        catch (ConfigApiUnavailableException)
        {
            await context.RespondAsync(Failure(SmsFailureCodes.ConfigUnavailable, Texts.TestConfigUnavailable));
            return;
        }
        await context.RespondAsync(ToResult(result));
    }

    static SendTestSmsResult ToResult(DispatchResult result) => result.Outcome switch
    {
        DispatchOutcome.Sent or DispatchOutcome.AlreadySent => new(true, result.Message!.MessageSid, null, null),
        DispatchOutcome.Skipped => Failure(SmsSkipped.RecipientOptedOut, Texts.TestRecipientOptedOut),
        _ when result.Error == SmsDispatcher.NotConfiguredError => Failure(SmsFailureCodes.TwilioNotConfigured,
            Texts.TestTwilioNotConfigured),
        _ when result.Error == SmsDispatcher.UnreachableError => Failure(SmsFailureCodes.TwilioUnreachable,
            Texts.TestTwilioUnreachable),
        _ => result.TwilioCode switch
        {
            TwilioErrorCodes.AuthenticationFailed => Failure(SmsFailureCodes.TwilioAuthFailed, Texts.TestAuthFailed),
            TwilioErrorCodes.InvalidToNumber => Failure(SmsFailureCodes.InvalidPhone, Texts.TestInvalidToNumber),
            TwilioErrorCodes.NotMobile => Failure(SmsFailureCodes.InvalidPhone, Texts.TestNotMobile),
            TwilioErrorCodes.RegionNotEnabled => Failure(SmsFailureCodes.TwilioError, Texts.TestRegionNotEnabled),
            TwilioErrorCodes.Unsubscribed => Failure(SmsFailureCodes.TwilioError, Texts.TestUnsubscribed),
            21212 or 21606 or 21659 => Failure(SmsFailureCodes.TwilioError, Texts.TestSenderNumberUnusable(result.TwilioCode)),
            { } code => Failure(SmsFailureCodes.TwilioError, Texts.TestTwilioRefused(code)),
            null => Failure(SmsFailureCodes.TwilioError, Texts.TestTwilioRefusedNoCode),
        },
    };

    static SendTestSmsResult Failure(string code, string spanishMessage) => new(false, null, code, spanishMessage);
}
