using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.ServiceDefaults.Integrations;
using MorfX.ServiceDefaults.Messaging;

namespace MorfX.WebhookIngest.Apis;

/// <summary>
/// POST /webhooks/twilio/status/{workspaceId}: Twilio's message status callbacks. X-Twilio-Signature is checked with
/// the workspace's auth token over the public URL Twilio called (PublicUrls:WebhookIngest + path + query, never our
/// Host header, which a proxy may rewrite) and the form parameters; then TwilioStatusReported is published with broker
/// confirm before answering 200.
/// </summary>
public static partial class TwilioCallbacksApi
{
    public const string Source = "twilio";
    const string SignatureHeader = "X-Twilio-Signature";
    const int MaxFormBytes = 64 * 1024;

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
        var (metrics, logger, options) = (services.Metrics, services.Logger, services.Options);
        metrics.Received(Source);

        ProblemHttpResult Reject(int status, string code, string detail)
        {
            metrics.Rejected(Source, code);
            return Problems.Of(status, code, detail);
        }

        if (request.ContentLength > MaxFormBytes)
            return Reject(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "El cuerpo de la notificacion de Twilio es demasiado grande.");
        if (!request.HasFormContentType)
            return Reject(StatusCodes.Status400BadRequest, "invalid_body", "La notificacion de Twilio debe venir como formulario (application/x-www-form-urlencoded).");

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted);
        budget.CancelAfter(options.ResponseBudget);

        IFormCollection form;
        try { form = await request.ReadFormAsync(budget.Token); }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return Reject(StatusCodes.Status400BadRequest, "invalid_body", "No se pudo leer el formulario de la notificacion de Twilio.");
        }

        TwilioCredentials? credentials = null;
        if (Guid.TryParse(workspaceId, out var workspace))
        {
            try
            {
                credentials = await services.Lookup.GetTwilioAsync(workspace, budget.Token);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException or NotSupportedException)
            {
                LogLookupFailed(logger, e, workspace);
                return Reject(StatusCodes.Status503ServiceUnavailable, "lookup_unavailable",
                    "No se pudo consultar la configuracion de Twilio; Twilio reintentara.");
            }
        }

        // Twilio signs the URL it called: our public base URL, this path and the query string exactly as sent.
        var url = options.PublicBaseUrl + request.PathBase + request.Path + request.QueryString;
        var parameters = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? "")));
        if (credentials is null || !WebhookSignatures.VerifyTwilio(url, parameters, credentials.AuthToken, request.Headers[SignatureHeader].ToString()))
        {
            LogInvalidSignature(logger, workspaceId);
            return Reject(StatusCodes.Status403Forbidden, "invalid_signature", "La firma X-Twilio-Signature no es valida.");
        }

        var messageSid = form["MessageSid"].ToString();
        var messageStatus = form["MessageStatus"].ToString();
        if (messageSid.Length == 0 || messageStatus.Length == 0)
            return Reject(StatusCodes.Status400BadRequest, "invalid_body", "La notificacion de Twilio no trae MessageSid y MessageStatus.");
        int? errorCode = int.TryParse(form["ErrorCode"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : null;
        var accountSid = form["AccountSid"].ToString() is { Length: > 0 } account ? account : null;

        try
        {
            using var confirm = CancellationTokenSource.CreateLinkedTokenSource(budget.Token);
            confirm.CancelAfter(options.PublishTimeout);
            await services.Publisher.Publish(
                new TwilioStatusReported(workspace, messageSid, messageStatus, errorCode, accountSid, services.Clock.GetUtcNow()), confirm.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogNotConfirmed(logger, e, messageSid, workspace);
            return Reject(StatusCodes.Status503ServiceUnavailable, "broker_unavailable",
                "No se pudo confirmar el estado del mensaje; Twilio reintentara.");
        }

        metrics.Accepted(Source, messageStatus);
        LogAccepted(logger, messageSid, messageStatus, workspace);
        return TypedResults.Ok();
    }

    [LoggerMessage(3101, LogLevel.Information, "Twilio reported {MessageStatus} for message {MessageSid} of workspace {WorkspaceId}")]
    static partial void LogAccepted(ILogger logger, string messageSid, string messageStatus, Guid workspaceId);

    [LoggerMessage(3102, LogLevel.Warning, "Twilio status callback for workspace {WorkspaceId} has an invalid signature or unknown workspace")]
    static partial void LogInvalidSignature(ILogger logger, string workspaceId);

    [LoggerMessage(3103, LogLevel.Warning, "Twilio status of message {MessageSid} for workspace {WorkspaceId} could not be confirmed by the broker; answering 503")]
    static partial void LogNotConfirmed(ILogger logger, Exception exception, string messageSid, Guid workspaceId);

    [LoggerMessage(3104, LogLevel.Warning, "Could not look up Twilio credentials of workspace {WorkspaceId} in config-api; answering 503")]
    static partial void LogLookupFailed(ILogger logger, Exception exception, Guid workspaceId);
}
