using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.ServiceDefaults;
using MorfX.WebhookIngest.Twilio;

namespace MorfX.WebhookIngest.Apis;

/// <summary>
/// POST /webhooks/twilio/inbound/{workspaceId}: SMS that customers send to the workspace's Twilio number (STOP, SALIR, START…),
/// signed like the status callbacks and verified by <see cref="TwilioWebhookRequests"/>. Accepted as TwilioInboundReceived like
/// them (<see cref="TwilioCallbacksApi.AcceptAsync"/>); sms-sender decides what it means for opt-outs. Answered with an empty TwiML response (no reply SMS).
/// When the workspace's auth token cannot be read (config-api down), the request is kept as it came and answered the same
/// (<see cref="UnverifiedInbound"/>): Twilio retries a failed webhook only once, and a lost SALIR is a customer texted against their will.
/// </summary>
public static partial class TwilioInboundApi
{
    const string EmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    public static IEndpointRouteBuilder MapTwilioInboundApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/twilio/inbound/{workspaceId}", ReceiveInboundAsync)
            .WithName("ReceiveTwilioInbound")
            .WithSummary("Receives an inbound SMS from Twilio (opt-out keywords such as STOP or SALIR, opt-in ones such as START)")
            .WithTags("Webhooks")
            .AllowAnonymous()
            .LimitRefusals()
            .ProducesProblems(IngestProblems.TwilioRequest);
        return app;
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReceiveInboundAsync(
        string workspaceId, HttpRequest request, [AsParameters] WebhookServices services, UnverifiedInbound unverified)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted);
        budget.CancelAfter(services.Options.ResponseBudget);
        var check = await TwilioWebhookRequests.VerifyAsync(workspaceId, request, services, budget.Token);
        if (check.Unverifiable is { } signed)
        {
            // The look-up may have used up the budget; Twilio waits 15 s, so keeping the request gets a short one of its own.
            using var keep = CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted);
            keep.CancelAfter(services.Options.PublishTimeout);
            return await unverified.KeepAsync(signed, services.Clock.GetUtcNow(), keep.Token)
                ? TypedResults.Content(EmptyTwiml, "text/xml")
                : TwilioWebhookRequests.LookupUnavailable(services.Metrics);
        }
        if (check.Request is not { } verified) return check.Problem!;

        if (Inbound(verified, services.Clock.GetUtcNow()) is not { } accepted)
        {
            services.Metrics.Rejected(TwilioWebhookRequests.Source, "invalid_body");
            return ProblemCode.InvalidBody.With(Texts.InboundMissingFields);
        }
        var (inbound, id) = accepted;
        if (await TwilioCallbacksApi.AcceptAsync(inbound, id, inbound.MessageSid, ct => services.Publisher.Publish(inbound, (PublishContext<TwilioInboundReceived> c) => c.MessageId = id, ct),
                services, budget.Token) is { } unconfirmed)
            return unconfirmed;
        services.Metrics.Accepted(TwilioWebhookRequests.Source, "inbound");
        LogInbound(services.Logger, inbound.MessageSid, PhoneNumbers.Redact(inbound.From), verified.WorkspaceId);
        return TypedResults.Content(EmptyTwiml, "text/xml");
    }

    /// <summary>
    /// What a verified inbound SMS is announced as, and its MessageId (deterministic from its MessageSid, so Twilio's retry, or the
    /// same request verified later, is the same message); null without MessageSid or From. Verified now or later, the same.
    /// </summary>
    public static (TwilioInboundReceived Message, Guid Id)? Inbound(VerifiedTwilioRequest verified, DateTimeOffset receivedAt)
    {
        var (messageSid, from) = (verified.Field("MessageSid"), verified.Field("From"));
        if (messageSid.Length == 0 || from.Length == 0) return null;
        var inbound = new TwilioInboundReceived(verified.WorkspaceId, messageSid, from, verified.Field("To"), verified.Field("Body"),
            verified.Field("OptOutType") is { Length: > 0 } type ? type : null,
            verified.Field("AccountSid") is { Length: > 0 } account ? account : null, receivedAt);
        return (inbound, DeterministicGuid.Create(verified.WorkspaceId, $"twilio-inbound:{messageSid}"));
    }

    [LoggerMessage(3111, LogLevel.Debug, "Inbound SMS {MessageSid} from {From} for workspace {WorkspaceId}")]
    static partial void LogInbound(ILogger logger, string messageSid, string from, Guid workspaceId);
}
