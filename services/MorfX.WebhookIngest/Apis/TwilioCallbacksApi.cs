using System.Globalization;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.ServiceDefaults;

namespace MorfX.WebhookIngest.Apis;

/// <summary>
/// POST /webhooks/twilio/status/{workspaceId}: Twilio's message status callbacks, verified by
/// <see cref="TwilioWebhookRequests"/>; then TwilioStatusReported is accepted (<see cref="AcceptAsync"/>) before answering 200.
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
            .WithSummary("Receives a sent SMS's delivery status from Twilio")
            .WithTags("Webhooks")
            .AllowAnonymous()
            .LimitRefusals()
            .ProducesProblems([.. IngestProblems.TwilioRequest, IngestProblems.BrokerUnavailable]);
        return app;
    }

    static async Task<Results<Ok, ProblemHttpResult>> ReceiveStatusAsync(
        string workspaceId, HttpRequest request, [AsParameters] WebhookServices services)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted);
        budget.CancelAfter(services.Options.ResponseBudget);
        var check = await TwilioWebhookRequests.VerifyAsync(workspaceId, request, services, budget.Token);
        if (check.Request is not { } verified) return check.Problem ?? TwilioWebhookRequests.LookupUnavailable(services.Metrics);

        var messageSid = verified.Field("MessageSid");
        var messageStatus = verified.Field("MessageStatus");
        if (messageSid.Length == 0 || messageStatus.Length == 0)
        {
            services.Metrics.Rejected(Source, "invalid_body");
            return ProblemCode.InvalidBody.With(Texts.CallbackMissingFields);
        }
        int? errorCode = int.TryParse(verified.Field("ErrorCode"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : null;
        var accountSid = verified.Field("AccountSid") is { Length: > 0 } account ? account : null;
        Guid? requestId = Guid.TryParse(request.Query[RequestMarker].ToString(), out var marker) ? marker : null;

        var report = new TwilioStatusReported(
            verified.WorkspaceId, messageSid, messageStatus, errorCode, accountSid, services.Clock.GetUtcNow(), requestId);
        var id = DeterministicGuid.Create(verified.WorkspaceId, $"twilio-status:{messageSid}:{messageStatus}:{errorCode}");
        if (await AcceptAsync(report, id, messageSid, ct => services.StatusReports.PublishAsync(report, ct), services, budget.Token) is { } unconfirmed)
            return unconfirmed;
        services.Metrics.Accepted(Source, messageStatus);
        LogAccepted(services.Logger, messageSid, messageStatus, verified.WorkspaceId);
        return TypedResults.Ok();
    }

    /// <summary>
    /// Accepted once the broker confirms <paramref name="publish"/> (a status goes with others in one message) within the publish
    /// timeout or, when it does not (down, or slow under load), once the message is committed to ingest's outbox, whose
    /// dispatcher publishes it when the broker is back: Twilio retries a failed callback only once, so a 503 may well lose it.
    /// The outbox row's id is <paramref name="messageId"/> (a retried callback is written once), and the consumers are
    /// idempotent (a status or an opt-out applied twice changes nothing). A 503 (Twilio retries) only when neither took it.
    /// </summary>
    internal static async Task<ProblemHttpResult?> AcceptAsync<T>(
        T message, Guid messageId, string messageSid, Func<CancellationToken, Task> publish, WebhookServices services, CancellationToken ct)
        where T : class
    {
        try
        {
            using var confirm = CancellationTokenSource.CreateLinkedTokenSource(ct);
            confirm.CancelAfter(services.Options.PublishTimeout);
            await publish(confirm.Token);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException && !ct.IsCancellationRequested)
        {
            LogNotConfirmed(services.Logger, e, messageSid);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Unavailable(e, messageSid, services);
        }
        try
        {
            services.Outbox.Add(messageId, message);
            await services.Outbox.SaveAsync(ct);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Unavailable(e, messageSid, services);
        }
    }

    static ProblemHttpResult Unavailable(Exception e, string messageSid, WebhookServices services)
    {
        LogNotAccepted(services.Logger, e, messageSid);
        services.Metrics.Rejected(Source, "broker_unavailable");
        return IngestProblems.BrokerUnavailable.With(Texts.CallbackNotAccepted);
    }

    [LoggerMessage(3101, LogLevel.Debug, "Twilio reported {MessageStatus} for message {MessageSid} of workspace {WorkspaceId}")]
    static partial void LogAccepted(ILogger logger, string messageSid, string messageStatus, Guid workspaceId);

    [LoggerMessage(3103, LogLevel.Warning, "Twilio webhook for message {MessageSid} was not confirmed by the broker in time; writing it to the outbox")]
    static partial void LogNotConfirmed(ILogger logger, Exception exception, string messageSid);

    [LoggerMessage(3104, LogLevel.Warning, "Twilio webhook for message {MessageSid} could be neither published nor recorded; answering 503")]
    static partial void LogNotAccepted(ILogger logger, Exception exception, string messageSid);
}
