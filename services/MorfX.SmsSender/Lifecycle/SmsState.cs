namespace MorfX.SmsSender.Lifecycle;

/// <summary>Where a requested SMS is in its life, stored in sms_messages.state; <see cref="SmsLifecycle"/> moves it (decision 0037).</summary>
public enum SmsState
{
    /// <summary>Recorded; the attempt holding the lease (until send_lease_until) may post the create.</summary>
    Sending,

    /// <summary>A create may have reached Twilio (since ambiguous_since): the attempt holding the lease looks for it, never posts blindly.</summary>
    Ambiguous,

    /// <summary>No attempt holds it: released after a transient failure; the next delivery claims it.</summary>
    Parked,

    /// <summary>Released while ambiguous: the next delivery resolves it before anything else.</summary>
    ParkedAmbiguous,

    /// <summary>Twilio has it (message_sid); its status or price is still to be checked at next_price_check_at.</summary>
    Sent,

    /// <summary>Final with a transient carrier failure: another delivery is due at redeliver_at, and its checks are still pending.</summary>
    RedeliveryDue,

    /// <summary>Another delivery is due at redeliver_at; its checks are over.</summary>
    RedeliveryDueChecked,

    /// <summary>Sent, and nothing is left to do (priced, or its checks given up).</summary>
    Settled,

    /// <summary>Ended without a message: refused by Twilio, no Twilio integration, or unreachable for a test SMS.</summary>
    Failed,

    /// <summary>Ended without a message on purpose: opted out, redacted, its automation stopped, or expired.</summary>
    Skipped,
}
