using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using MorfX.ConfigApiClient;
using MorfX.ServiceDefaults;

namespace MorfX.WebhookIngest.Apis;

/// <summary>
/// What every Twilio webhook (status callbacks, inbound messages) goes through before anything is parsed or published:
/// a well-formed workspace id and a signature header (else the same 403 as a bad signature, before anything is read), size
/// and content-type limits (chunked bodies included), the workspace's auth token from config-api, and Twilio's own
/// RequestValidator (<see cref="TwilioSignedRequest"/>) over the public URL Twilio called (PublicUrls:WebhookIngest + path + query, never our Host
/// header, which a proxy may rewrite): form posts by their parameters, JSON bodies by the URL's bodySHA256. The SDK's
/// validator also accepts the URL with its default port added or removed, as Twilio signs either. When the token cannot be
/// read (config-api down or slow) the request comes back unverifiable: an inbound SMS is kept to verify later
/// (<see cref="Twilio.UnverifiedInbound"/>), a status callback is answered 503.
/// </summary>
public static partial class TwilioWebhookRequests
{
    public const string Source = "twilio";
    const string SignatureHeader = "X-Twilio-Signature";
    const int MaxBodyBytes = 64 * 1024;

    public static async Task<TwilioWebhookCheck> VerifyAsync(string workspaceId, HttpRequest request, WebhookServices services, CancellationToken ct)
    {
        var (metrics, logger, options) = (services.Metrics, services.Logger, services.Options);
        metrics.Received(Source);

        TwilioWebhookCheck Reject(ProblemCode problem, string detail)
        {
            metrics.Rejected(Source, problem.Code);
            return new(null, problem.With(detail));
        }

        // An unknown or malformed workspace gets the same answer as a bad signature, before the body is read or anyone asked.
        TwilioWebhookCheck Unauthenticated(string reason)
        {
            LogInvalidSignature(logger, reason);
            return Reject(IngestProblems.TwilioSignatureInvalid, Texts.TwilioSignatureInvalid);
        }
        var signature = request.Headers[SignatureHeader].ToString();
        if (!Guid.TryParseExact(workspaceId, "D", out var workspace) || workspace == Guid.Empty || signature.Length == 0)
            return Unauthenticated("malformed");

        var json = request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
        if (!request.HasFormContentType && !json)
            return Reject(ProblemCode.InvalidBody, Texts.TwilioContentTypeInvalid);
        // Form and JSON alike are read whole under the limit first: ReadFormAsync alone would read a chunked body of any size.
        var bytes = await WebhookBodies.ReadLimitedAsync(request, MaxBodyBytes, ct);
        if (bytes is null)
            return Reject(ProblemCode.PayloadTooLarge, Texts.TwilioPayloadTooLarge);

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
            return Reject(ProblemCode.InvalidBody, Texts.TwilioBodyUnreadable);
        }

        var signed = new TwilioSignedRequest(workspace, options.PublicBaseUrl + request.PathBase + request.Path + request.QueryString, fields, body, signature);
        TwilioCredentials? credentials;
        try
        {
            credentials = await services.Lookup.GetTwilioAsync(workspace, ct, anonymous: true);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or NotSupportedException)
        {
            LogLookupFailed(logger, e, workspace);
            return new(null, null, signed);
        }

        if (credentials is null) return Unauthenticated("unknown_workspace");
        if (!signed.IsSignedWith(credentials.AuthToken)) return Unauthenticated("invalid_signature");
        return new(new VerifiedTwilioRequest(workspace, fields), null);
    }

    /// <summary>The answer to a webhook whose workspace's token could not be read, and that was not kept to verify later: Twilio retries.</summary>
    public static ProblemHttpResult LookupUnavailable(WebhookMetrics metrics)
    {
        metrics.Rejected(Source, "lookup_unavailable");
        return IngestProblems.LookupUnavailable.With(Texts.TwilioLookupUnavailable);
    }

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

    [LoggerMessage(3105, LogLevel.Warning, "Could not look up Twilio credentials of workspace {WorkspaceId} in config-api")]
    static partial void LogLookupFailed(ILogger logger, Exception exception, Guid workspaceId);
}
