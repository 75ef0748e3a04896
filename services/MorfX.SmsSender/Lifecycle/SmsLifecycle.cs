namespace MorfX.SmsSender.Lifecycle;

/// <summary>
/// Every way an SMS changes <see cref="SmsState"/>, in one place (decision 0037). A request is recorded as
/// <see cref="SmsState.Sending"/> (or straight as failed or skipped when it cannot be sent); the statements that record,
/// lease, send, resolve, end, check and redeliver it move it only by these transitions.
/// </summary>
public static class SmsLifecycle
{
    static readonly SmsState[] Unsent = [SmsState.Sending, SmsState.Ambiguous, SmsState.Parked, SmsState.ParkedAmbiguous];
    static readonly SmsState[] WithoutMessage = [.. Unsent, SmsState.Failed, SmsState.Skipped];

    /// <summary>
    /// The next delivery takes the lease. One found still leased lapsed rather than being released: its attempt stopped
    /// after recording, perhaps after Twilio took the create, so it becomes ambiguous.
    /// </summary>
    public static readonly SmsTransition Claim = new("claim",
        (SmsState.Parked, SmsState.Sending), (SmsState.ParkedAmbiguous, SmsState.Ambiguous),
        (SmsState.Sending, SmsState.Ambiguous), (SmsState.Ambiguous, SmsState.Ambiguous));

    /// <summary>A create went unanswered, or an interrupted request is resolved: looked for at Twilio from now on.</summary>
    public static readonly SmsTransition BecomeAmbiguous = new("become ambiguous",
        (SmsState.Sending, SmsState.Ambiguous), (SmsState.Ambiguous, SmsState.Ambiguous));

    /// <summary>A transient failure gives the lease up for the next delivery; an ambiguous request stays ambiguous.</summary>
    public static readonly SmsTransition Release = new("release",
        (SmsState.Sending, SmsState.Parked), (SmsState.Ambiguous, SmsState.ParkedAmbiguous));

    /// <summary>
    /// The attempt holding the fencing token writes the sid (from its create, or a look-up at Twilio). The sid wins over an
    /// end a racing delivery wrote: Twilio has the message.
    /// </summary>
    public static readonly SmsTransition MarkSent = new("mark sent", [.. WithoutMessage.Select(s => (s, SmsState.Sent))]);

    /// <summary>The first status callback of a request whose create answer never arrived claims the sid by our marker.</summary>
    public static readonly SmsTransition ClaimByCallback = new("claim by callback", [.. Unsent.Select(s => (s, SmsState.Sent))]);

    /// <summary>The request ends without a message (for good): refused, not configured, or unreachable for a test SMS.</summary>
    public static readonly SmsTransition Fail = new("fail", [.. WithoutMessage.Select(s => (s, SmsState.Failed))]);

    /// <summary>The request ends without a message on purpose: opted out, redacted, its automation stopped, or expired.</summary>
    public static readonly SmsTransition Skip = new("skip", [.. WithoutMessage.Select(s => (s, SmsState.Skipped))]);

    /// <summary>A final status of an unpriced message: its price is checked (again, if earlier checks gave up).</summary>
    public static readonly SmsTransition Finish = new("finish",
        (SmsState.Sent, SmsState.Sent), (SmsState.Settled, SmsState.Sent));

    /// <summary>A final status with a transient carrier failure (30003, 30008) of an unpriced automation message.</summary>
    public static readonly SmsTransition FinishForRedelivery = new("finish for redelivery",
        (SmsState.Sent, SmsState.RedeliveryDue), (SmsState.Settled, SmsState.RedeliveryDue));

    /// <summary>The same, of a message already priced: only the redelivery is left.</summary>
    public static readonly SmsTransition FinishPricedForRedelivery = new("finish priced for redelivery",
        (SmsState.Sent, SmsState.RedeliveryDue), (SmsState.Settled, SmsState.RedeliveryDueChecked));

    /// <summary>The price reconciler is done with a message: priced, or its checks given up.</summary>
    public static readonly SmsTransition EndChecks = new("end checks",
        (SmsState.Sent, SmsState.Settled), (SmsState.RedeliveryDue, SmsState.RedeliveryDueChecked));

    /// <summary>The redelivery is handed over as a new request; the message's own checks go on if they were pending.</summary>
    public static readonly SmsTransition HandOver = new("hand over",
        (SmsState.RedeliveryDue, SmsState.Sent), (SmsState.RedeliveryDueChecked, SmsState.Settled));

    public static readonly IReadOnlyList<SmsTransition> All =
        [Claim, BecomeAmbiguous, Release, MarkSent, ClaimByCallback, Fail, Skip, Finish, FinishForRedelivery,
         FinishPricedForRedelivery, EndChecks, HandOver];

    /// <summary>The states a row may be written in: a recorded request, or one that ends at once (not configured, expired).</summary>
    public static readonly IReadOnlyList<SmsState> Initial = [SmsState.Sending, SmsState.Failed, SmsState.Skipped];

    /// <summary>Whose lease an attempt may hold and keep (its fence decides which attempt).</summary>
    public static readonly string[] Leased = [Name(SmsState.Sending), Name(SmsState.Ambiguous)];

    /// <summary>No attempt holds these: a claim takes them at once.</summary>
    public static readonly string[] Released = [Name(SmsState.Parked), Name(SmsState.ParkedAmbiguous)];

    /// <summary>What retention may delete: nothing pending (no lease, check or redelivery).</summary>
    public static readonly IReadOnlyList<SmsState> Finished =
        [SmsState.Parked, SmsState.ParkedAmbiguous, SmsState.Settled, SmsState.Failed, SmsState.Skipped];

    public static string RetentionCondition => $"state IN ({string.Join(", ", Finished.Select(s => $"'{Name(s)}'"))})";

    /// <summary>Another delivery of the request has nothing to send: it has a message, or it ended without one.</summary>
    public static bool IsDone(SmsState state) => !Unsent.Contains(state);

    public static bool HasMessage(SmsState state) => !WithoutMessage.Contains(state);

    /// <summary>The price reconciler still has to check it (at next_price_check_at).</summary>
    public static bool ChecksPending(SmsState state) => EndChecks.Moves.ContainsKey(state);

    public static string Name(SmsState state) => state switch
    {
        SmsState.Sending => "sending",
        SmsState.Ambiguous => "ambiguous",
        SmsState.Parked => "parked",
        SmsState.ParkedAmbiguous => "parked_ambiguous",
        SmsState.Sent => "sent",
        SmsState.RedeliveryDue => "redelivery_due",
        SmsState.RedeliveryDueChecked => "redelivery_due_checked",
        SmsState.Settled => "settled",
        SmsState.Failed => "failed",
        SmsState.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    static readonly Dictionary<string, SmsState> ByName = Enum.GetValues<SmsState>().ToDictionary(Name);

    public static SmsState Parse(string name) =>
        ByName.TryGetValue(name, out var state) ? state : throw new ArgumentOutOfRangeException(nameof(name), name, "not an SMS state");
}
