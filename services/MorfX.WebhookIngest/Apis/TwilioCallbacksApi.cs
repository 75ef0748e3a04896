using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.Contracts;
using MorfX.ServiceDefaults;

namespace MorfX.WebhookIngest.Apis;

/// <summary>
/// POST /webhooks/twilio/status/{workspaceId}: Twilio's message status callbacks, verified by
/// <see cref="TwilioWebhookRequests"/>; then TwilioStatusReported is published with broker confirm before answering 200.
/// sms-sender's marker in the callback URL (<c>?r=</c>, the request id) is passed through, so the first callback of a message
/// whose create answer was lost can claim its sid.
/// </summary>
public static partial class TwilioCallbacksApi
{
    public const string Source = TwilioWebhookRequests.Source;
    const string RequestMarker = "r";

    public static IEndpointRouteBuilder MapTwilioCallbacksApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/twilio/status/{workspaceId}", ReceiveStatusAsync)
            .WithName("ReceiveTwilioStatus")
            .WithSummary("Recibe el estado de entrega de un SMS enviado por Twilio")
            .WithTags("Webhooks")
            .AllowAnonymous();
        return app;
    }

    static async Task<Results<Ok, ProblemHttpResult>> ReceiveStatusAsync(
        string workspaceId, HttpRequest request, [AsParameters] WebhookServices services)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted);
        budget.CancelAfter(services.Options.ResponseBudget);
        var (verified, problem) = await TwilioWebhookRequests.VerifyAsync(workspaceId, request, services, budget.Token);
        if (verified is null) return problem!;

        var messageSid = verified.Field("MessageSid");
        var messageStatus = verified.Field("MessageStatus");
        if (messageSid.Length == 0 || messageStatus.Length == 0)
        {
            services.Metrics.Rejected(Source, "invalid_body");
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid_body", Texts.CallbackMissingFields);
        }
        int? errorCode = int.TryParse(verified.Field("ErrorCode"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : null;
        var accountSid = verified.Field("AccountSid") is { Length: > 0 } account ? account : null;
        Guid? requestId = Guid.TryParse(request.Query[RequestMarker].ToString(), out var marker) ? marker : null;

        var report = new TwilioStatusReported(
            verified.WorkspaceId, messageSid, messageStatus, errorCode, accountSid, services.Clock.GetUtcNow(), requestId);
        if (await PublishConfirmedAsync(report, messageSid, services, budget.Token) is { } unconfirmed) return unconfirmed;
        services.Metrics.Accepted(Source, messageStatus);
        LogAccepted(services.Logger, messageSid, messageStatus, verified.WorkspaceId);
        return TypedResults.Ok();
    }

    /// <summary>Publishes with broker confirm; a 503 (so Twilio retries) when the broker does not confirm in time.</summary>
    internal static async Task<ProblemHttpResult?> PublishConfirmedAsync<T>(T message, string messageSid, WebhookServices services, CancellationToken ct)
        where T : class
    {
        try
        {
            using var confirm = CancellationTokenSource.CreateLinkedTokenSource(ct);
            confirm.CancelAfter(services.Options.PublishTimeout);
            await services.Publisher.Publish(message, confirm.Token);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogNotConfirmed(services.Logger, e, messageSid);
            services.Metrics.Rejected(Source, "broker_unavailable");
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "broker_unavailable", Texts.CallbackNotConfirmed);
        }
    }

    [LoggerMessage(3101, LogLevel.Debug, "Twilio reported {MessageStatus} for message {MessageSid} of workspace {WorkspaceId}")]
    static partial void LogAccepted(ILogger logger, string messageSid, string messageStatus, Guid workspaceId);

    [LoggerMessage(3103, LogLevel.Warning, "Twilio webhook for message {MessageSid} could not be confirmed by the broker; answering 503")]
    static partial void LogNotConfirmed(ILogger logger, Exception exception, string messageSid);
}
