using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MorfX.ConfigApiClient;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.OptOuts;
using MorfX.SmsSender.Twilio;
using Npgsql;

namespace MorfX.SmsSender.Sending;

/// <summary>
/// Sends one requested SMS exactly once, whatever Twilio does.
/// 1. The request is recorded (status "sending") BEFORE Twilio is called, with a lease on the database's clock and a
///    fencing token: only the attempt holding the current token may write the sid (checked in the same UPDATE).
/// 2. A request that already has a sid, failed for good or was skipped is never sent again; an opted-out recipient gets no call.
/// 3. A create is posted again only when Twilio cannot have processed it: 429 (the HTTP pipeline waits Retry-After) or a
///    refused connection. A timeout, a reset or a 5xx after the request left is ambiguous: the attempt keeps its lease and
///    resolves the request instead — the first status callback claims the sid by our marker in its URL
///    (<see cref="SendingOptions.StatusCallbackFor"/>), or a look-up at Twilio finds it (<see cref="FindAtTwilioAsync"/>).
///    Only when Twilio still has no such message after Sending:AmbiguousWindow is it created again; while Twilio holds more
///    than one that could be it, neither is adopted nor is it created again.
/// 4. A request found in "sending" whose lease lapsed was interrupted (crash, lost answer): the next attempt takes the
///    lease (a new token) and resolves it the same way before anything is sent.
/// </summary>
public sealed partial class SmsDispatcher(
    SmsDbContext db, IntegrationLookup lookup, TwilioMessagesClient twilio, OptOutRegistry optOuts, IOptions<SendingOptions> sending,
    IOptions<PricingOptions> pricingOptions, SmsWrites writes, SmsActivityPublisher activity, SmsMetrics metrics, ILogger<SmsDispatcher> logger)
{
    readonly SendingOptions settings = sending.Value;
    readonly PricingOptions pricing = pricingOptions.Value;

    public const string NotConfiguredError = SmsFailureCodes.TwilioNotConfigured;
    public const string UnreachableError = SmsFailureCodes.TwilioUnreachable;
    public const string SkippedStatus = "skipped";
    // The look-up reads up to four pages of From→To messages: only a recipient texted that often within the window needs more.
    const int LookupPageSize = 50, LookupLimit = 200;
    // "Probar conexion" has someone waiting (config-api gives up after 15 s): its ambiguous outcome is looked for briefly.
    static readonly TimeSpan TestAmbiguousWindow = TimeSpan.FromSeconds(5);

    /// <summary>The attempt holding a request's lease: its row (as recorded) and its fencing token.</summary>
    sealed record Attempt(SmsMessage Row, long Fence, bool Interrupted);

    /// <param name="throwOnTransient">
    /// True for SmsRequested: a transient failure (Twilio down after the retry pipeline) throws, so the consumer's
    /// retry and the broker's redelivery try again later. False for the test SMS: the caller is waiting for an answer.
    /// </param>
    public async Task<DispatchResult> DispatchAsync(SmsRequested request, IPublishEndpoint publish, bool throwOnTransient, CancellationToken ct)
    {
        // The happy path is two round trips: the INSERT that also reads the opt-out and a stop of the automation, and the
        // UPDATE … RETURNING of the sid. A redelivery (the INSERT finds the row) reads the row and announces a finished
        // request's outcome again.
        var expired = DateTimeOffset.UtcNow - (request.DueAt ?? request.RequestedAt) > settings.ExpireAfter;
        if (expired && await RowAsync(request.RequestId, ct) is null) return await ExpireAsync(request, publish, ct);
        TwilioCredentials? credentials;
        try { credentials = await LookUpCredentialsAsync(request.WorkspaceId, ct); }
        catch (ConfigApiUnavailableException)
        {
            if (await RowAsync(request.RequestId, ct) is { } done && IsDone(done)) return await AnnounceAgainAsync(done, publish, ct);
            throw;
        }
        if (credentials is null)
        {
            var recorded = await RowAsync(request.RequestId, ct);
            if (recorded is not null && IsDone(recorded)) return await AnnounceAgainAsync(recorded, publish, ct);
            return await FailNotConfiguredAsync(recorded, request, publish, ct);
        }

        Attempt attempt;
        // What the INSERT of a newly recorded request read (why not to send it, or null) serves its first create.
        string? skip = null;
        var fresh = false;
        if (await TryRecordAsync(request, credentials, ct) is { } first) (attempt, skip, fresh) = (first.Attempt, first.Skip, true);
        else
        {
            var existing = (await RowAsync(request.RequestId, ct))!;
            if (IsDone(existing)) return await AnnounceAgainAsync(existing, publish, ct);
            var (claimed, done) = await ClaimAsync(request.RequestId, ct);
            if (done) return await AnnounceAgainAsync(claimed.Row, publish, ct);
            attempt = claimed;
            // A request parked by an outage, back too late or after its automation was stopped (a create Twilio may have taken
            // is resolved instead).
            if (claimed.Row.AmbiguousSince is null
                && (expired ? SmsSkipped.Expired
                    : await optOuts.IsRedactedAsync(request.WorkspaceId, claimed.Row.ToNumber, ct) ? SmsSkipped.CustomerRedacted
                    : await StoppedSinceAsync(request, ct) ? SmsSkipped.AutomationDisabled : null) is { } code)
                return await SkipAsync(claimed.Row, code, publish, ct);
        }

        var window = throwOnTransient || settings.AmbiguousWindow < TestAmbiguousWindow ? settings.AmbiguousWindow : TestAmbiguousWindow;
        try
        {
            if (attempt.Interrupted && await ResolveAsync(attempt, credentials, publish, window, freshAmbiguity: false, ct) is { } resolved)
                return resolved;
            for (var creates = 1; ; creates++)
            {
                if (!fresh && await optOuts.IsOptedOutAsync(request.WorkspaceId, attempt.Row.ToNumber, ct)) skip = SmsSkipped.RecipientOptedOut;
                fresh = false;
                if (skip is not null) return await SkipAsync(attempt.Row, skip, publish, ct);
                try
                {
                    var row = attempt.Row;
                    var created = await twilio.CreateMessageAsync(credentials, row.ToNumber, row.FromNumber!, row.Body, row.MediaUrls,
                        settings.StatusCallbackFor(row.WorkspaceId, row.RequestId), ct);
                    return await RecordSentAsync(attempt, created, credentials, publish, ct);
                }
                catch (Exception e) when (IsAmbiguous(e, ct))
                {
                    metrics.Ambiguous.Add(1);
                    LogAmbiguous(request.RequestId, Describe(e));
                    if (await ResolveAsync(attempt, credentials, publish, window, freshAmbiguity: true, ct) is { } found) return found;
                    if (creates >= settings.MaxCreates) throw;
                    LogResending(request.RequestId, window);
                }
            }
        }
        catch (TwilioApiException e) when (e.IsPermanent)
        {
            return await RecordRejectedAsync(attempt.Row, e, credentials, publish, ct);
        }
        catch (Exception e) when (IsTransient(e, ct))
        {
            // The lease is released for the next delivery; an ambiguous request keeps ambiguous_since, so it is resolved, not re-posted.
            await ExtendLeaseAsync(attempt, release: true);
            LogTransient(request.RequestId, Describe(e));
            if (throwOnTransient) throw;
            return await EndWithoutMessageAsync(attempt.Row, SmsStatuses.Failed, null, UnreachableError, publish, DispatchOutcome.Unreachable, ct);
        }
    }

    async Task<TwilioCredentials?> LookUpCredentialsAsync(Guid workspaceId, CancellationToken ct)
    {
        try { return await lookup.GetTwilioAsync(workspaceId, ct); }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new ConfigApiUnavailableException(e);
        }
    }

    /// <summary>A dependency is down (config-api's look-up, or Twilio after the HTTP pipeline's retries): worth waiting out.</summary>
    public static bool IsOutage(Exception e, CancellationToken ct) => e is ConfigApiUnavailableException || IsTransient(e, ct);

    static bool IsDone(SmsMessage row) => row.MessageSid is not null || row.Status != SmsStatuses.Sending;

    Task<SmsMessage?> RowAsync(Guid requestId, CancellationToken ct) =>
        db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.RequestId == requestId, ct);

    /// <summary>
    /// A redelivered request that already has its outcome sends nothing, but announces the outcome again: the first
    /// announcement may have been lost with the broker after the row was written (usage-api's upserts make repeats harmless).
    /// </summary>
    async Task<DispatchResult> AnnounceAgainAsync(SmsMessage row, IPublishEndpoint publish, CancellationToken ct)
    {
        if (row.MessageSid is not null)
        {
            await activity.SentAsync(row, ct);
            return new(DispatchOutcome.AlreadySent, row);
        }
        if (row.Status == SkippedStatus)
        {
            await PublishSkippedAsync(row, publish, ct);
            return new(DispatchOutcome.Skipped, row, null, SkipCode(row));
        }
        await PublishFailedAsync(row, publish, ct);
        return new(DispatchOutcome.AlreadyFailed, row, row.ErrorCode, row.ErrorMessage);
    }

    static Task PublishFailedAsync(SmsMessage row, IPublishEndpoint publish, CancellationToken ct) =>
        publish.Publish(new SmsFailed(row.RequestId, row.WorkspaceId, null, row.ToNumber, row.Body, row.ErrorCode,
            row.ErrorMessage ?? "", row.AutomationId, row.FinalAt ?? row.UpdatedAt), ct);

    static Task PublishSkippedAsync(SmsMessage row, IPublishEndpoint publish, CancellationToken ct) =>
        publish.Publish(new SmsSkipped(row.RequestId, row.WorkspaceId, row.ToNumber, SkipCode(row), row.AutomationId,
            row.FinalAt ?? row.UpdatedAt), ct);

    /// <summary>A skipped row keeps its code in error_message (rows from before the stop button were all opt-outs).</summary>
    static string SkipCode(SmsMessage row) => row.ErrorMessage ?? SmsSkipped.RecipientOptedOut;

    Task<bool> StoppedSinceAsync(SmsRequested request, CancellationToken ct) =>
        request.Origin.AutomationId is { } automationId
            ? db.AutomationStops.AnyAsync(s => s.AutomationId == automationId && s.StoppedAt > request.RequestedAt, ct)
            : Task.FromResult(false);

    /// <summary>
    /// A request more than Sending:ExpireAfter past its due time (parked through a long outage) that was never recorded is
    /// not sent: it ends skipped (expired). One already recorded is claimed first, like any redelivery.
    /// </summary>
    async Task<DispatchResult> ExpireAsync(SmsRequested request, IPublishEndpoint publish, CancellationToken ct)
    {
        var row = NewRow(request);
        row.Status = SkippedStatus;
        row.ErrorMessage = SmsSkipped.Expired;
        row.FinalAt = row.CreatedAt;
        if (!await InsertAsync(row, null, ct)) throw new SendInProgressException(request.RequestId);
        LogExpired(request.RequestId, request.DueAt ?? request.RequestedAt);
        await PublishSkippedAsync(row, publish, ct);
        return new(DispatchOutcome.Skipped, row, null, SmsSkipped.Expired);
    }

    /// <summary>An error fit for logs: Twilio's own message text may repeat the recipient's number.</summary>
    internal static string Describe(Exception e) => e switch
    {
        TwilioApiException t => $"Twilio HTTP {t.HttpStatus}, code {t.Code}",
        TwilioConnectionException c => $"no answer ({c.InnerException?.GetType().Name}{(c.NothingSent ? ", nothing sent" : "")})",
        _ => e.GetType().Name,
    };

    /// <summary>Twilio may have created the message: a 5xx (or an unreadable error page), or no answer after the request left.</summary>
    static bool IsAmbiguous(Exception e, CancellationToken ct) => e switch
    {
        TwilioApiException t => !t.IsPermanent && !t.IsRateLimited,
        TwilioConnectionException c => !c.NothingSent,
        OperationCanceledException => !ct.IsCancellationRequested,
        _ => false,
    };

    static bool IsTransient(Exception e, CancellationToken ct) => e switch
    {
        AmbiguousMatchException => true,
        TwilioApiException t => !t.IsPermanent,
        TwilioConnectionException => true,
        OperationCanceledException => !ct.IsCancellationRequested,
        _ => false,
    };

    /// <summary>
    /// Inserts the row with this attempt's lease (database clock, fence 1) and, in the same statement, reads whether the
    /// recipient opted out (<see cref="SmsWrites"/>: one statement for the requests recorded at the same time); null when
    /// another delivery of the same request recorded it first.
    /// </summary>
    async Task<(Attempt Attempt, string? Skip)?> TryRecordAsync(SmsRequested request, TwilioCredentials credentials, CancellationToken ct)
    {
        var row = NewRow(request);
        row.AccountSid = credentials.AccountSid;
        row.FromNumber = credentials.FromNumber;
        row.SendFence = 1;
        return await writes.RecordAsync(row, request.RequestedAt, ct) is { } recorded ? (new Attempt(row, row.SendFence, Interrupted: false), recorded.Skip) : null;
    }

    /// <summary>ON CONFLICT DO NOTHING: two deliveries of one request racing is expected, not a database error to log.</summary>
    async Task<bool> InsertAsync(SmsMessage row, TimeSpan? lease, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync(InsertSql(row, lease), ct) == 1;

    static FormattableString InsertSql(SmsMessage row, TimeSpan? lease) => $"""
        INSERT INTO sms_messages (request_id, workspace_id, account_sid, to_number, from_number, body, media_urls, segments,
            encoding, status, error_message, origin_kind, automation_id, run_id, trigger_event_id, created_at, updated_at, final_at,
            send_lease_until, send_fence, price_checks, delivery_attempt)
        VALUES ({row.RequestId}, {row.WorkspaceId}, {row.AccountSid}, {row.ToNumber}, {row.FromNumber}, {row.Body}, {row.MediaUrls},
            {row.Segments}, {row.Encoding}, {row.Status}, {row.ErrorMessage}, {row.OriginKind}, {row.AutomationId}, {row.RunId},
            {row.TriggerEventId}, {row.CreatedAt}, {row.UpdatedAt}, {row.FinalAt},
            CASE WHEN {lease.HasValue} THEN now() + {lease ?? TimeSpan.Zero} END, {row.SendFence}, 0, {row.DeliveryAttempt})
        ON CONFLICT (request_id) DO NOTHING
        """;

    /// <summary>
    /// Takes over a recorded request once no other attempt holds its lease (database clock), with the next fencing token,
    /// waiting (at most one lease) while one does. Done = another attempt finished it meanwhile. A lease that lapsed rather
    /// than being released means its attempt stopped somewhere after recording, perhaps after Twilio took the create (its sid
    /// write failed, or it crashed): the request becomes ambiguous, so it is looked for at Twilio before anything else is decided.
    /// </summary>
    async Task<(Attempt Attempt, bool Done)> ClaimAsync(Guid requestId, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + settings.SendLease + TimeSpan.FromSeconds(1);
        while (true)
        {
            var fences = await db.Database.SqlQuery<long>($"""
                UPDATE sms_messages SET send_fence = send_fence + 1, send_lease_until = now() + {settings.SendLease}, updated_at = now(),
                    ambiguous_since = CASE WHEN send_lease_until IS NULL THEN ambiguous_since ELSE COALESCE(ambiguous_since, now()) END
                WHERE request_id = {requestId} AND message_sid IS NULL AND status = {SmsStatuses.Sending}
                  AND (send_lease_until IS NULL OR send_lease_until < now())
                RETURNING send_fence AS "Value"
                """).ToListAsync(ct);
            var row = (await RowAsync(requestId, ct))!;
            if (fences.Count == 1) return (new Attempt(row, fences[0], Interrupted: true), false);
            if (IsDone(row)) return (new Attempt(row, 0, false), true);
            if (DateTimeOffset.UtcNow > deadline) throw new SendInProgressException(requestId);
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    enum Ambiguity { Unchanged, SinceNow, SinceNowUnlessKnown }

    /// <summary>
    /// Keeps (or with <paramref name="release"/> gives up) this attempt's lease, if it still holds the token; returns the
    /// database's time, or null when another attempt has taken the request over. A create that just went unanswered starts
    /// its look-up window now; an interrupted request keeps the window of its first ambiguity, if it had one.
    /// </summary>
    async Task<DateTimeOffset?> ExtendLeaseAsync(Attempt attempt, bool release = false, Ambiguity ambiguity = Ambiguity.Unchanged)
    {
        var now = await db.Database.SqlQuery<DateTimeOffset>($"""
            UPDATE sms_messages
            SET send_lease_until = CASE WHEN {release} THEN NULL ELSE now() + {settings.SendLease} END,
                ambiguous_since = CASE {(int)ambiguity} WHEN 1 THEN now() WHEN 2 THEN COALESCE(ambiguous_since, now()) ELSE ambiguous_since END,
                updated_at = now()
            WHERE request_id = {attempt.Row.RequestId} AND send_fence = {attempt.Fence} AND message_sid IS NULL
            RETURNING now() AS "Value"
            """).ToListAsync(CancellationToken.None);
        return now.Count == 1 ? now[0] : null;
    }

    /// <summary>
    /// Finds the message of an ambiguous or interrupted create: claimed by its first status callback, or found at Twilio.
    /// Looks until the window (from the first ambiguity) has passed; null = Twilio provably never created it.
    /// </summary>
    async Task<DispatchResult?> ResolveAsync(
        Attempt attempt, TwilioCredentials credentials, IPublishEndpoint publish, TimeSpan window, bool freshAmbiguity, CancellationToken ct)
    {
        var requestId = attempt.Row.RequestId;
        var ambiguity = freshAmbiguity ? Ambiguity.SinceNow : Ambiguity.SinceNowUnlessKnown;
        if (await ExtendLeaseAsync(attempt, ambiguity: ambiguity) is null) return await TakenOverAsync(requestId, publish, ct);
        var since = (await RowAsync(requestId, ct))!.AmbiguousSince!.Value;
        // Sending again is safe only once Twilio has answered that the message is not there; a window of failed look-ups
        // proves nothing, so their last error is thrown (transient: redelivered or parked, ambiguous_since kept).
        Exception? unanswered = null;
        var candidates = 0;
        while (true)
        {
            var row = (await RowAsync(requestId, ct))!;
            if (row.MessageSid is not null)
            {
                LogClaimedByCallback(requestId, row.MessageSid);
                return new(DispatchOutcome.Sent, row);
            }
            TwilioMessage? found = null;
            try
            {
                var lookup = await FindAtTwilioAsync(row, credentials, ct);
                if (lookup.Candidates > 1 && lookup.Candidates != candidates) LogSeveralCandidates(requestId, lookup.Candidates);
                (found, candidates, unanswered) = (lookup.Found, lookup.Candidates, null);
            }
            catch (Exception e) when (IsTransient(e, ct)) { LogLookupFailed(requestId, Describe(e)); unanswered = e; }
            if (found is not null)
            {
                LogAdopted(requestId, found.Sid, DateTimeOffset.UtcNow - since);
                return await RecordSentAsync(attempt, found, credentials, publish, ct);
            }
            if (await ExtendLeaseAsync(attempt) is not { } now) return await TakenOverAsync(requestId, publish, ct);
            if (now >= since + window)
            {
                if (unanswered is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(unanswered);
                // Twilio has more than one message that could be this request's: sending again could double it, adopting one
                // could take another request's. The request waits (parked like an outage) for a status callback to claim its own.
                if (candidates > 1) throw new AmbiguousMatchException(requestId, candidates);
                return null;
            }
            await Task.Delay(settings.ResolvePoll, ct);
        }
    }

    /// <summary>This attempt lost its token (its lease lapsed and another took over), or a callback claimed the sid meanwhile.</summary>
    async Task<DispatchResult> TakenOverAsync(Guid requestId, IPublishEndpoint publish, CancellationToken ct)
    {
        var row = (await RowAsync(requestId, ct))!;
        if (IsDone(row)) return await AnnounceAgainAsync(row, publish, ct);
        LogFencedOut(requestId);
        throw new SendInProgressException(requestId);
    }

    /// <summary>What a look-up at Twilio found: the message to adopt, if exactly one of the <paramref name="Candidates"/> can be it.</summary>
    readonly record struct Lookup(TwilioMessage? Found, int Candidates);

    /// <summary>
    /// The messages at Twilio that can be this request's, matched on what Twilio keeps:
    /// - From→To, Twilio's own list filters. Not its DateSent filter: that is by day, on date_sent, which a message still
    ///   queued does not have yet.
    /// - Dated (Twilio's date_created) from Sending:AmbiguousLookBack before the row was recorded, on the database's clock
    ///   (recorded_at), until now: no instance's clock decides.
    /// - The same number of media, and the same text up to Smart Encoding's replacements (<see cref="SmartEncoding"/>).
    /// - A sid no other request holds.
    /// Exactly one is adopted. Twilio's resource does not return the StatusCallback that carries our marker, so several cannot
    /// be told apart here: none is adopted, and the first status callback claims the right one.
    /// </summary>
    async Task<Lookup> FindAtTwilioAsync(SmsMessage row, TwilioCredentials credentials, CancellationToken ct)
    {
        if (row.FromNumber is null) return new(null, 0);
        var since = (row.RecordedAt ?? row.CreatedAt) - settings.AmbiguousLookBack;
        var matching = (await twilio.ListMessagesAsync(credentials, row.ToNumber, row.FromNumber, LookupPageSize, LookupLimit, ct))
            .Where(m => m.CreatedAt >= since && m.NumMedia == row.MediaUrls.Count && SmartEncoding.Equivalent(m.Body, row.Body))
            .ToList();
        if (matching.Count == 0) return new(null, 0);
        var sids = matching.Select(m => m.Sid).ToList();
        var taken = await db.Messages.Where(m => m.MessageSid != null && sids.Contains(m.MessageSid)).Select(m => m.MessageSid!).ToListAsync(ct);
        var free = matching.Where(m => !taken.Contains(m.Sid)).ToList();
        return new(free.Count == 1 ? free[0] : null, free.Count);
    }

    /// <summary>Writes the sid — only if this attempt still holds the fencing token and no callback claimed one first.</summary>
    async Task<DispatchResult> RecordSentAsync(Attempt attempt, TwilioMessage message, TwilioCredentials credentials, IPublishEndpoint publish, CancellationToken ct)
    {
        var status = SmsStatuses.IsKnown(message.Status) && message.Status != SmsStatuses.Sending ? message.Status : SmsStatuses.Queued;
        var final = SmsStatuses.IsFinal(status);
        // Twilio does not retry a status callback we could not take (broker down: 503), so the reconciler asks Twilio
        // itself if no final status has arrived by then; a final status brings the check forward.
        var firstCheck = final ? TimeSpan.Zero : pricing.StatusCheckAfter;
        var requestId = attempt.Row.RequestId;
        SmsMessage? row;
        try
        {
            // The row as written is what SmsSent announces, without reading it again.
            row = await writes.MarkSentAsync(new SentMark(requestId, attempt.Fence, message.Sid, credentials.AccountSid, status, final, firstCheck));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The look-up matched a message another request adopted in the meantime: look again on the next delivery.
            throw new SendInProgressException(requestId);
        }
        if (row is null)
        {
            var current = (await RowAsync(requestId, CancellationToken.None))!;
            if (current.MessageSid == message.Sid) return new(DispatchOutcome.Sent, current);
            return await TakenOverAsync(requestId, publish, ct);
        }

        metrics.Sent.Add(1);
        LogSent(requestId, message.Sid, PhoneNumbers.Redact(row.ToNumber), row.Segments, row.Encoding);
        await activity.SentAsync(row, ct);
        return new(DispatchOutcome.Sent, row);
    }

    async Task<DispatchResult> RecordRejectedAsync(SmsMessage row, TwilioApiException e, TwilioCredentials credentials, IPublishEndpoint publish, CancellationToken ct)
    {
        var code = e.Code ?? (e.HttpStatus == 401 ? TwilioErrorCodes.AuthenticationFailed : null);
        LogRejected(row.RequestId, PhoneNumbers.Redact(row.ToNumber), e.HttpStatus, code);
        if (code == TwilioErrorCodes.AuthenticationFailed)
            await publish.Publish(new TwilioCredentialsRejected(row.WorkspaceId, code.Value, DateTimeOffset.UtcNow,
                Secrets.Fingerprint(credentials.AuthToken)), ct);
        if (code == TwilioErrorCodes.Unsubscribed)
            await optOuts.SetAsync(row.WorkspaceId, row.ToNumber, optedOut: true, OptOutRegistry.FromTwilioRefusal, DateTimeOffset.UtcNow, ct);
        return await EndWithoutMessageAsync(row, SmsStatuses.Failed, code, e.TwilioMessage, publish, DispatchOutcome.Rejected, ct);
    }

    async Task<DispatchResult> SkipAsync(SmsMessage row, string code, IPublishEndpoint publish, CancellationToken ct)
    {
        LogSkipped(row.RequestId, PhoneNumbers.Redact(row.ToNumber), code);
        return await EndWithoutMessageAsync(row, SkippedStatus, null, code, publish, DispatchOutcome.Skipped, ct);
    }

    async Task<DispatchResult> FailNotConfiguredAsync(SmsMessage? existing, SmsRequested request, IPublishEndpoint publish, CancellationToken ct)
    {
        LogNotConfigured(request.RequestId, request.WorkspaceId);
        if (existing is not null)
            return await EndWithoutMessageAsync(existing, SmsStatuses.Failed, null, NotConfiguredError, publish, DispatchOutcome.NotConfigured, ct);
        var row = NewRow(request);
        row.Status = SmsStatuses.Failed;
        row.ErrorMessage = NotConfiguredError;
        row.FinalAt = row.CreatedAt;
        // Another delivery of the same request recorded it first: let the retry see its outcome.
        if (!await InsertAsync(row, null, ct)) throw new SendInProgressException(request.RequestId);
        metrics.Failed.Add(1);
        await PublishFailedAsync(row, publish, ct);
        return new(DispatchOutcome.NotConfigured, row, null, NotConfiguredError);
    }

    /// <summary>The request ends without a message (for good): failed (announced with SmsFailed) or skipped (SmsSkipped).</summary>
    async Task<DispatchResult> EndWithoutMessageAsync(
        SmsMessage row, string status, int? code, string error, IPublishEndpoint publish, DispatchOutcome outcome, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        // A redacted customer's request keeps neither the number nor the text it arrived with.
        var redacted = error == SmsSkipped.CustomerRedacted;
        var ended = (await db.Messages.FromSql($"""
            UPDATE sms_messages
            SET status = {status}, error_code = {code}, error_message = {error}, final_at = {now}, updated_at = {now}, send_lease_until = NULL,
                to_number = CASE WHEN {redacted} THEN {SmsRecipientsRedacted.ErasedNumber} ELSE to_number END,
                body = CASE WHEN {redacted} THEN '' ELSE body END,
                media_urls = CASE WHEN {redacted} THEN ARRAY[]::text[] ELSE media_urls END
            WHERE request_id = {row.RequestId} AND message_sid IS NULL
            RETURNING *
            """).AsNoTracking().ToListAsync(CancellationToken.None)).SingleOrDefault()
            // Matched nothing: a callback claimed the sid meanwhile.
            ?? (await RowAsync(row.RequestId, CancellationToken.None))!;
        if (ended.MessageSid is not null) return await AnnounceAgainAsync(ended, publish, ct);
        if (status == SkippedStatus) await PublishSkippedAsync(ended, publish, ct);
        else
        {
            metrics.Failed.Add(1);
            await PublishFailedAsync(ended, publish, ct);
        }
        return new(outcome, ended, code, error);
    }

    static SmsMessage NewRow(SmsRequested request)
    {
        var (encoding, segments) = SmsSegments.Calculate(request.Body);
        var now = DateTimeOffset.UtcNow;
        return new SmsMessage
        {
            RequestId = request.RequestId,
            WorkspaceId = request.WorkspaceId,
            ToNumber = request.To,
            Body = request.Body,
            MediaUrls = [.. request.MediaUrls],
            Segments = segments,
            Encoding = encoding,
            Status = SmsStatuses.Sending,
            OriginKind = request.Origin.Kind,
            DeliveryAttempt = request.DeliveryAttempt,
            AutomationId = request.Origin.AutomationId,
            RunId = request.Origin.RunId,
            TriggerEventId = request.Origin.TriggerEventId,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "SMS {RequestId} accepted by Twilio as {MessageSid} to {To} ({Segments} segment(s), {Encoding})")]
    partial void LogSent(Guid requestId, string messageSid, string to, int segments, string encoding);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "SMS {RequestId} to {To} refused by Twilio: HTTP {HttpStatus}, code {ErrorCode}")]
    partial void LogRejected(Guid requestId, string to, int httpStatus, int? errorCode);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "SMS {RequestId} not sent: workspace {WorkspaceId} has no Twilio integration")]
    partial void LogNotConfigured(Guid requestId, Guid workspaceId);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "SMS {RequestId}: Twilio unreachable after retries ({Error})")]
    partial void LogTransient(Guid requestId, string error);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "SMS {RequestId}: found {MessageSid} at Twilio {Elapsed} after the outcome became unknown; adopted instead of sending again")]
    partial void LogAdopted(Guid requestId, string messageSid, TimeSpan elapsed);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "SMS {RequestId}: Twilio's answer to the create is unknown ({Error}); looking for the message instead of posting again")]
    partial void LogAmbiguous(Guid requestId, string error);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "SMS {RequestId}: Twilio still had no such message {Window} after the ambiguous create; sending it again")]
    partial void LogResending(Guid requestId, TimeSpan window);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "SMS {RequestId}: its first status callback claimed {MessageSid}")]
    partial void LogClaimedByCallback(Guid requestId, string messageSid);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "SMS {RequestId}: look-up at Twilio failed ({Error}); trying again")]
    partial void LogLookupFailed(Guid requestId, string error);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "SMS {RequestId}: another attempt took the request over (fencing token changed); this one stops")]
    partial void LogFencedOut(Guid requestId);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Debug, Message = "SMS {RequestId} to {To} skipped: {Code}")]
    partial void LogSkipped(Guid requestId, string to, string code);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "SMS {RequestId} not sent: it was due at {DueAt}, longer ago than Sending:ExpireAfter")]
    partial void LogExpired(Guid requestId, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "SMS {RequestId}: Twilio holds {Candidates} messages that could be this one; none is adopted and it is not sent again until a status callback claims one")]
    partial void LogSeveralCandidates(Guid requestId, int candidates);
}
