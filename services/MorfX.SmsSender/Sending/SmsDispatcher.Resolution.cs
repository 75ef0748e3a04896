using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.ConfigApiClient;
using MorfX.Rules;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Lifecycle;
using MorfX.SmsSender.Twilio;

namespace MorfX.SmsSender.Sending;

// Resolving an ambiguous or interrupted create: its message is claimed by a status callback or found at Twilio (decision 0012).
public sealed partial class SmsDispatcher
{
    // The look-up reads up to four pages of From→To messages: only a recipient texted that often within the window needs more.
    const int LookupPageSize = 50, LookupLimit = 200;

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
        // proves nothing, so their last error is thrown (transient: redelivered or parked, still ambiguous).
        Exception? unanswered = null;
        var candidates = 0;
        while (true)
        {
            var row = (await RowAsync(requestId, ct))!;
            if (SmsLifecycle.HasMessage(row.State))
            {
                LogClaimedByCallback(requestId, row.MessageSid!);
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
}
