using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using MorfX.Rules;

namespace MorfX.TwilioEmulator;

/// <summary>
/// The slice of Twilio's REST API that MorfX uses (docs/protocols.md), with HTTP Basic auth, Twilio's JSON shapes
/// and error bodies. Magic "To" numbers (modelled on Twilio's test credentials, see README.md):
/// +15005550001 -> 21211 invalid number, +15005550002 -> 21408 region not enabled, +15005550004 -> 21610
/// unsubscribed, +15005550009 -> 21614 not a mobile number (all refused at creation, HTTP 400);
/// +15005550020 -> accepted, then "undelivered" with 30003; +15005550021 -> accepted, then "failed" with 30008.
/// </summary>
public static class TwilioApi
{
    public const string ApiVersion = "2010-04-01";
    public const string PriceUnit = "USD";
    public const decimal PricePerSegment = -0.00750m;

    static readonly Dictionary<string, (int Code, string Message)> RefusedAtCreation = new()
    {
        ["+15005550001"] = (21211, "The 'To' number +15005550001 is not a valid phone number."),
        ["+15005550002"] = (21408, "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +15005550002."),
        ["+15005550004"] = (21610, "Attempt to send to unsubscribed recipient"),
        ["+15005550009"] = (21614, "'To' number is not a valid mobile number"),
    };

    /// <summary>Numbers that are accepted but end badly: the final status and error code their callbacks report.</summary>
    public static readonly Dictionary<string, (string Status, int Code, string Message)> FailAfterSending = new()
    {
        ["+15005550020"] = ("undelivered", 30003, "Unreachable destination handset"),
        ["+15005550021"] = ("failed", 30008, "Unknown error"),
    };

    public static void MapTwilioApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup($"/{ApiVersion}/Accounts");
        api.MapPost("/{accountSid}/Messages.json", CreateMessage);
        api.MapGet("/{accountSid}/Messages.json", ListMessages);
        api.MapGet("/{accountSid}/Messages/{sid}.json", FetchMessage);
        api.MapGet("/{accountSid}.json", FetchAccount);
    }

    static async Task<IResult> CreateMessage(string accountSid, HttpRequest request, EmulatorStore store, EmulatorOptions options, MessageLifecycle lifecycle)
    {
        await DelayAsync(store, request.HttpContext.RequestAborted);
        if (store.SendDelayOf(accountSid) is > 0 and var slow) await Task.Delay(slow, request.HttpContext.RequestAborted);
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var to = form["To"].ToString();
        var from = form["From"].ToString();
        // SmartEncoded=true: Twilio replaces look-alikes of GSM-7 characters, and the message it keeps (and lists) has the new body.
        var body = bool.TryParse(form["SmartEncoded"], out var smart) && smart ? SmartEncoding.Apply(form["Body"].ToString()) : form["Body"].ToString();
        var media = form["MediaUrl"].Where(u => !string.IsNullOrEmpty(u)).Select(u => u!).ToList();
        var callback = form["StatusCallback"].ToString();

        IResult Fail(int status, int code, string message)
        {
            store.Record(new ApiCall(DateTimeOffset.UtcNow, "POST", request.Path, accountSid, to, status, code, null));
            return Error(status, code, message);
        }

        // Twilio never processed it: 429, or a 5xx or a dropped connection before the message existed.
        IResult Refuse(int status)
        {
            store.Record(new ApiCall(DateTimeOffset.UtcNow, "POST", request.Path, accountSid, to, status, status == 429 ? 20429 : 20500, null));
            return Scenarios.ServerError(status);
        }

        if (Authenticate(accountSid, request, store, options) is { } unauthorized) return Fail(401, unauthorized.Code, unauthorized.Message);

        if (store.TakeCreateFault() is { } faultStatus) return Refuse(faultStatus);

        if (string.IsNullOrEmpty(to)) return Fail(400, 21604, "A 'To' phone number is required.");
        if (string.IsNullOrEmpty(from)) return Fail(400, 21603, "A 'From' phone number is required.");
        if (string.IsNullOrEmpty(body) && media.Count == 0) return Fail(400, 21602, "Message body is required.");
        if (body.Length > 1600) return Fail(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
        if (media.Count > 10) return Fail(400, 21623, "Number of media files exceeds allowed limit.");
        if (!PhoneNumbers.IsE164(to)) return Fail(400, 21211, $"The 'To' number {to} is not a valid phone number.");
        if (RefusedAtCreation.TryGetValue(to, out var refusal)) return Fail(400, refusal.Code, refusal.Message);
        var scenario = store.TakeScenario(to) ?? store.CurrentChaos()?.Pick();
        if (scenario?.Kind == Scenarios.Unsubscribed) return Fail(400, 21610, "Attempt to send to unsubscribed recipient");
        if (scenario?.Kind == Scenarios.ErrorBeforeCreate) return Refuse(scenario.Status);
        if (scenario?.Kind == Scenarios.ResetBeforeCreate)
        {
            store.Record(new ApiCall(DateTimeOffset.UtcNow, "POST", request.Path, accountSid, to, 0, null, null));
            request.HttpContext.Abort();
            return Results.Empty;
        }

        var now = DateTimeOffset.UtcNow;
        var message = new EmulatedMessage
        {
            Sid = EmulatorStore.NewSid(media.Count > 0 ? "MM" : "SM"),
            AccountSid = accountSid,
            To = to,
            From = from,
            Body = body,
            MediaUrls = media,
            Segments = media.Count > 0 ? 1 : SmsSegments.Calculate(body).Segments,
            StatusCallback = string.IsNullOrEmpty(callback) ? null : callback,
            CreatedAt = now,
            UpdatedAt = now,
        };
        store.Add(message);
        lifecycle.Start(message);
        if (scenario is { LookupsDownMs: > 0 }) store.TakeLookupsDown(to, TimeSpan.FromMilliseconds(scenario.LookupsDownMs));
        var (status, answer) = await Scenarios.AnswerAsync(scenario, message, request.HttpContext);
        store.Record(new ApiCall(now, "POST", request.Path, accountSid, to, status, null, message.Sid));
        return answer ?? Results.Json(ToResource(message, store), statusCode: 201);
    }

    /// <summary>GET …/Messages.json with Twilio's To, From, DateSent&gt;, DateSent&lt;, PageSize and Page, newest first, with page links.</summary>
    static async Task<IResult> ListMessages(string accountSid, HttpRequest request, EmulatorStore store, EmulatorOptions options)
    {
        await DelayAsync(store, request.HttpContext.RequestAborted);
        if (Authenticate(accountSid, request, store, options) is { } unauthorized) return Error(401, unauthorized.Code, unauthorized.Message);
        var to = request.Query["To"].ToString();
        var from = request.Query["From"].ToString();
        if (to.Length > 0 && store.LookupsDown(to)) return Error(503, 20503, "Service Unavailable");
        var pageSize = int.TryParse(request.Query["PageSize"], out var size) ? Math.Clamp(size, 1, 1000) : 50;
        // DateSent>= / DateSent<= (the SDK's DateSentAfter/Before, ISO 8601): only messages already sent have a date_sent.
        DateTimeOffset? sentAfter = DateTimeOffset.TryParse(request.Query["DateSent>"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var after) ? after : null;
        DateTimeOffset? sentBefore = DateTimeOffset.TryParse(request.Query["DateSent<"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var before) ? before : null;
        var filter = new MessageFilter(to.Length == 0 ? null : to, from.Length == 0 ? null : from, sentAfter, sentBefore);
        var messages = store.Messages(accountSid, filter).OrderByDescending(m => m.CreatedAt).ToList();
        var page = int.TryParse(request.Query["Page"], out var p) ? Math.Max(p, 0) : 0;
        var resources = messages.Skip(page * pageSize).Take(pageSize).Select(m => ToResource(m, store)).ToList();
        // Page links keep the filters, as Twilio's do; the SDK follows next_page_uri while its Limit allows.
        string PageUri(int n) => $"/{ApiVersion}/Accounts/{accountSid}/Messages.json" + QueryString.Create(
            request.Query.Where(q => q.Key is not ("Page" or "PageSize")).Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()))
                .Append(new("PageSize", pageSize.ToString(CultureInfo.InvariantCulture))).Append(new("Page", n.ToString(CultureInfo.InvariantCulture))));
        var uri = PageUri(page);
        return Results.Json(new Dictionary<string, object?>
        {
            ["messages"] = resources,
            ["end"] = page * pageSize + Math.Max(resources.Count - 1, 0),
            ["first_page_uri"] = PageUri(0),
            ["next_page_uri"] = (page + 1) * pageSize < messages.Count ? PageUri(page + 1) : null,
            ["page"] = page,
            ["page_size"] = pageSize,
            ["previous_page_uri"] = page > 0 ? PageUri(page - 1) : null,
            ["start"] = page * pageSize,
            ["uri"] = uri,
        });
    }

    static async Task<IResult> FetchMessage(string accountSid, string sid, HttpRequest request, EmulatorStore store, EmulatorOptions options)
    {
        await DelayAsync(store, request.HttpContext.RequestAborted);
        if (Authenticate(accountSid, request, store, options) is { } unauthorized) return Error(401, unauthorized.Code, unauthorized.Message);
        return store.Find(accountSid, sid) is { } message
            ? Results.Json(ToResource(message, store))
            : Error(404, 20404, $"The requested resource {request.Path} was not found");
    }

    static async Task<IResult> FetchAccount(string accountSid, HttpRequest request, EmulatorStore store, EmulatorOptions options)
    {
        await DelayAsync(store, request.HttpContext.RequestAborted);
        if (Authenticate(accountSid, request, store, options) is { } unauthorized) return Error(401, unauthorized.Code, unauthorized.Message);
        var created = Rfc2822(store.AccountCreatedAt(accountSid));
        return Results.Json(new Dictionary<string, object?>
        {
            ["auth_token"] = store.TokenOf(accountSid),
            ["date_created"] = created,
            ["date_updated"] = created,
            ["friendly_name"] = "MorfX emulator account",
            ["owner_account_sid"] = accountSid,
            ["sid"] = accountSid,
            ["status"] = "active",
            ["subresource_uris"] = new Dictionary<string, string> { ["messages"] = $"/{ApiVersion}/Accounts/{accountSid}/Messages.json" },
            ["type"] = "Full",
            ["uri"] = $"/{ApiVersion}/Accounts/{accountSid}.json",
        });
    }

    /// <summary>HTTP Basic AccountSid:AuthToken; the user must be the account in the path. Unknown account or wrong token: 20003.</summary>
    static (int Code, string Message)? Authenticate(string accountSid, HttpRequest request, EmulatorStore store, EmulatorOptions options)
    {
        const string failure = "Authentication Error - invalid username";
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
            return (20003, "Authentication Error - No credentials provided");
        string decoded;
        try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter)); }
        catch (FormatException) { return (20003, failure); }
        var colon = decoded.IndexOf(':');
        if (colon < 0) return (20003, failure);
        var (user, token) = (decoded[..colon], decoded[(colon + 1)..]);
        if (user != accountSid) return (20003, failure);
        if (store.TokenOf(accountSid) is null && options.AutoRegisterAccounts && token.Length > 0) store.RegisterAccount(accountSid, token);
        return store.TokenOf(accountSid) == token ? null : (20003, failure);
    }

    static async Task DelayAsync(EmulatorStore store, CancellationToken ct)
    {
        if (store.CurrentFaults().DelayMs is > 0 and var delay) await Task.Delay(delay, ct);
    }

    public static IResult Error(int status, int code, string message) => Results.Json(new Dictionary<string, object?>
    {
        ["code"] = code,
        ["message"] = message,
        ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
        ["status"] = status,
    }, statusCode: status);

    public static string Rfc2822(DateTimeOffset at) => at.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    public static Dictionary<string, object?> ToResource(EmulatedMessage m, EmulatorStore store) => store.Read(m, _ => new Dictionary<string, object?>
    {
        ["account_sid"] = m.AccountSid,
        ["api_version"] = ApiVersion,
        ["body"] = m.Body,
        ["date_created"] = Rfc2822(m.CreatedAt),
        ["date_sent"] = m.SentAt is { } sent ? Rfc2822(sent) : null,
        ["date_updated"] = Rfc2822(m.UpdatedAt),
        ["direction"] = m.Direction,
        ["error_code"] = m.ErrorCode,
        ["error_message"] = m.ErrorMessage,
        ["from"] = m.From,
        ["messaging_service_sid"] = null,
        ["num_media"] = m.MediaUrls.Count.ToString(CultureInfo.InvariantCulture),
        ["num_segments"] = m.Segments.ToString(CultureInfo.InvariantCulture),
        ["price"] = m.Price,
        ["price_unit"] = PriceUnit,
        ["sid"] = m.Sid,
        ["status"] = m.Status,
        ["subresource_uris"] = new Dictionary<string, string> { ["media"] = $"/{ApiVersion}/Accounts/{m.AccountSid}/Messages/{m.Sid}/Media.json" },
        ["to"] = m.To,
        ["uri"] = $"/{ApiVersion}/Accounts/{m.AccountSid}/Messages/{m.Sid}.json",
    });
}
