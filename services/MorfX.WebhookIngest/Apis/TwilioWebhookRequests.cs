using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using MorfX.ConfigApiClient;
using MorfX.ServiceDefaults;
using Twilio.Security;

namespace MorfX.WebhookIngest.Apis;

/// <summary>
/// What every Twilio webhook (status callbacks, inbound messages) goes through before anything is parsed or published:
/// a well-formed workspace id and a signature header (else the same 403 as a bad signature, before anything is read), size
/// and content-type limits (chunked bodies included), the workspace's auth token from config-api, and Twilio's own
/// <see cref="RequestValidator"/> over the public URL Twilio called (PublicUrls:WebhookIngest + path + query, never our Host
/// header, which a proxy may rewrite): form posts by their parameters, JSON bodies by the URL's bodySHA256. The SDK's
/// validator also accepts the URL with its default port added or removed, as Twilio signs either.
/// </summary>
public static partial class TwilioWebhookRequests
{
    public const string Source = "twilio";
    const string SignatureHeader = "X-Twilio-Signature";
    const int MaxBodyBytes = 64 * 1024;

    public static async Task<(VerifiedTwilioRequest? Request, ProblemHttpResult? Problem)> VerifyAsync(
        string workspaceId, HttpRequest request, WebhookServices services, CancellationToken ct)
    {
        var (metrics, logger, options) = (services.Metrics, services.Logger, services.Options);
        metrics.Received(Source);

        ProblemHttpResult Reject(int status, string code, string detail)
        {
            metrics.Rejected(Source, code);
            return Problems.Of(status, code, detail);
        }

        // An unknown or malformed workspace gets the same answer as a bad signature, before the body is read or anyone asked.
        ProblemHttpResult Unauthenticated(string reason)
        {
            LogInvalidSignature(logger, reason);
            return Reject(StatusCodes.Status403Forbidden, "invalid_signature", Texts.TwilioSignatureInvalid);
        }
        var signature = request.Headers[SignatureHeader].ToString();
        if (!Guid.TryParseExact(workspaceId, "D", out var workspace) || workspace == Guid.Empty || signature.Length == 0)
            return (null, Unauthenticated("malformed"));

        var json = request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
        if (!request.HasFormContentType && !json)
            return (null, Reject(StatusCodes.Status400BadRequest, "invalid_body", Texts.TwilioContentTypeInvalid));
        // Form and JSON alike are read whole under the limit first: ReadFormAsync alone would read a chunked body of any size.
        var bytes = await WebhookBodies.ReadLimitedAsync(request, MaxBodyBytes, ct);
        if (bytes is null)
            return (null, Reject(StatusCodes.Status413PayloadTooLarge, "payload_too_large", Texts.TwilioPayloadTooLarge));

        Dictionary<string, string> fields;
        string? body = null;
        try
        {
            if (json)
            {
                body = Encoding.UTF8.GetString(bytes);
                fields = JsonFields(body);
            }
            else
            {
                using var reader = new FormReader(new MemoryStream(bytes));
                fields = (await reader.ReadFormAsync(ct)).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or JsonException)
        {
            return (null, Reject(StatusCodes.Status400BadRequest, "invalid_body", Texts.TwilioBodyUnreadable));
        }

        TwilioCredentials? credentials;
        try
        {
            credentials = await services.Lookup.GetTwilioAsync(workspace, ct);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or NotSupportedException)
        {
            LogLookupFailed(logger, e, workspace);
            return (null, Reject(StatusCodes.Status503ServiceUnavailable, "lookup_unavailable", Texts.TwilioLookupUnavailable));
        }

        var url = options.PublicBaseUrl + request.PathBase + request.Path + request.QueryString;
        if (credentials is null) return (null, Unauthenticated("unknown_workspace"));
        if (!IsValid(new RequestValidator(credentials.AuthToken), url, fields, body, signature)) return (null, Unauthenticated("invalid_signature"));
        return (new VerifiedTwilioRequest(workspace, fields), null);
    }

    static bool IsValid(RequestValidator validator, string url, Dictionary<string, string> fields, string? jsonBody, string signature) =>
        jsonBody is null ? validator.Validate(url, fields, signature) : validator.Validate(url, jsonBody, signature);

    /// <summary>A JSON webhook's top-level values, as the form's name → value pairs.</summary>
    static Dictionary<string, string> JsonFields(string body)
    {
        using var document = JsonDocument.Parse(body);
        if (document.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("Not a JSON object");
        return document.RootElement.EnumerateObject().ToDictionary(
            p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText(), StringComparer.Ordinal);
    }

    [LoggerMessage(3102, LogLevel.Warning, "Twilio webhook refused as unauthenticated ({Reason})")]
    static partial void LogInvalidSignature(ILogger logger, string reason);

    [LoggerMessage(3105, LogLevel.Warning, "Could not look up Twilio credentials of workspace {WorkspaceId} in config-api; answering 503")]
    static partial void LogLookupFailed(ILogger logger, Exception exception, Guid workspaceId);
}
