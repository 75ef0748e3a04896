using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.ServiceDefaults;

namespace MorfX.WebhookIngest.Apis;

/// <summary>
/// POST /webhooks/twilio/inbound/{workspaceId}: SMS that customers send to the workspace's Twilio number (STOP, SALIR, START…),
/// signed like the status callbacks and verified by <see cref="TwilioWebhookRequests"/>. Accepted as TwilioInboundReceived like
/// them (<see cref="TwilioCallbacksApi.AcceptAsync"/>); sms-sender decides what it means for opt-outs. Answered with an empty TwiML response (no reply SMS).
/// </summary>
public static partial class TwilioInboundApi
{
    const string EmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    public static IEndpointRouteBuilder MapTwilioInboundApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/twilio/inbound/{workspaceId}", ReceiveInboundAsync)
            .WithName("ReceiveTwilioInbound")
            .WithSummary("Recibe un SMS entrante de Twilio (palabras de baja como STOP o SALIR, y de alta como START)")
            .WithTags("Webhooks")
            .AllowAnonymous();
        return app;
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReceiveInboundAsync(
        string workspaceId, HttpRequest request, [AsParameters] WebhookServices services)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted);
        budget.CancelAfter(services.Options.ResponseBudget);
        var (verified, problem) = await TwilioWebhookRequests.VerifyAsync(workspaceId, request, services, budget.Token);
        if (verified is null) return problem!;

        var (messageSid, from) = (verified.Field("MessageSid"), verified.Field("From"));
        if (messageSid.Length == 0 || from.Length == 0)
        {
            services.Metrics.Rejected(TwilioWebhookRequests.Source, "invalid_body");
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid_body", Texts.InboundMissingFields);
        }
        var inbound = new TwilioInboundReceived(verified.WorkspaceId, messageSid, from, verified.Field("To"), verified.Field("Body"),
            verified.Field("OptOutType") is { Length: > 0 } type ? type : null,
            verified.Field("AccountSid") is { Length: > 0 } account ? account : null, services.Clock.GetUtcNow());
        var id = DeterministicGuid.Create(verified.WorkspaceId, $"twilio-inbound:{messageSid}");
        if (await TwilioCallbacksApi.AcceptAsync(inbound, id, messageSid, ct => services.Publisher.Publish(inbound, (PublishContext<TwilioInboundReceived> c) => c.MessageId = id, ct),
                services, budget.Token) is { } unconfirmed)
            return unconfirmed;
        services.Metrics.Accepted(TwilioWebhookRequests.Source, "inbound");
        LogInbound(services.Logger, messageSid, PhoneNumbers.Redact(from), verified.WorkspaceId);
        return TypedResults.Content(EmptyTwiml, "text/xml");
    }

    [LoggerMessage(3111, LogLevel.Debug, "Inbound SMS {MessageSid} from {From} for workspace {WorkspaceId}")]
    static partial void LogInbound(ILogger logger, string messageSid, string from, Guid workspaceId);
}
