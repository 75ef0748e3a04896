using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MorfX.ConfigApiClient;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Lifecycle;
using MorfX.SmsSender.OptOuts;
using MorfX.SmsSender.Twilio;

namespace MorfX.SmsSender.Sending;

/// <summary>
/// Sends one requested SMS exactly once, whatever Twilio does (decision 0012); the request moves through
/// <see cref="SmsLifecycle"/>'s states. This file decides; the others of this class write its transitions:
/// the lease (SmsDispatcher.Leases.cs), resolving an ambiguous create (SmsDispatcher.Resolution.cs) and how it ends
/// (SmsDispatcher.Outcomes.cs).
/// 1. The request is recorded (sending) BEFORE Twilio is called, with a lease on the database's clock and a fencing
///    token: only the attempt holding the current token may write the sid (checked in the same UPDATE).
/// 2. A request that already has a sid, failed for good or was skipped is never sent again; an opted-out recipient gets no call.
/// 3. A create is posted again only when Twilio cannot have processed it: 429 (the HTTP pipeline waits Retry-After) or a
///    refused connection. A timeout, a reset or a 5xx after the request left makes it ambiguous: the attempt keeps its
///    lease and resolves it instead. Only when Twilio still has no such message after Sending:AmbiguousWindow is it
///    created again; while Twilio holds more than one that could be it, neither is adopted nor is it created again.
/// 4. A request found leased whose lease lapsed was interrupted (crash, lost answer): the next attempt claims it (a new
///    token) and resolves it the same way before anything is sent.
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
    // "Probar conexion" has someone waiting (config-api gives up after 15 s): its ambiguous outcome is looked for briefly.
    static readonly TimeSpan TestAmbiguousWindow = TimeSpan.FromSeconds(5);

    /// <param name="throwOnTransient">
    /// True for SmsRequested: a transient failure (Twilio down after the retry pipeline) throws, so the consumer's
    /// retry and the broker's redelivery try again later. False for the test SMS: the caller is waiting for an answer.
    /// </param>
    public async Task<DispatchResult> DispatchAsync(SmsRequested request, IPublishEndpoint publish, bool throwOnTransient, CancellationToken ct)
    {
        // The happy path is two round trips: the INSERT that also reads the opt-out and a stop of the automation, and the
        // UPDATE … RETURNING of the sid. A redelivery (the INSERT finds the row) announces a finished request's outcome again.
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
            // A request parked by an outage, back too late or after its automation was stopped (one Twilio may have taken,
            // now ambiguous, is resolved instead).
            if (claimed.Row.State == SmsState.Sending
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
            // Parked for the next delivery; an ambiguous request stays ambiguous, so it is resolved, not re-posted.
            await ExtendLeaseAsync(attempt, release: true);
            LogTransient(request.RequestId, Describe(e));
            if (throwOnTransient) throw;
            return await EndWithoutMessageAsync(attempt.Row, SmsLifecycle.Fail, SmsStatuses.Failed, null, UnreachableError, publish,
                DispatchOutcome.Unreachable, ct);
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

    static bool IsDone(SmsMessage row) => SmsLifecycle.IsDone(row.State);

    Task<SmsMessage?> RowAsync(Guid requestId, CancellationToken ct) =>
        db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.RequestId == requestId, ct);

    Task<bool> StoppedSinceAsync(SmsRequested request, CancellationToken ct) =>
        request.Origin.AutomationId is { } automationId
            ? db.AutomationStops.AnyAsync(s => s.AutomationId == automationId && s.StoppedAt > request.RequestedAt, ct)
            : Task.FromResult(false);

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
            State = SmsState.Sending,
            OriginKind = request.Origin.Kind,
            DeliveryAttempt = request.DeliveryAttempt,
            AutomationId = request.Origin.AutomationId,
            RunId = request.Origin.RunId,
            TriggerEventId = request.Origin.TriggerEventId,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}
