namespace MorfX.TwilioEmulator;

/// <summary>Twilio's list filters: To, From and the DateSent range (inclusive), any of them optional.</summary>
public sealed record MessageFilter(string? To, string? From, DateTimeOffset? SentAfter, DateTimeOffset? SentBefore)
{
    public static readonly MessageFilter None = new(null, null, null, null);

    public bool Matches(EmulatedMessage m) =>
        (To is null || m.To == To) && (From is null || m.From == From)
        && (SentAfter is null || m.SentAt >= SentAfter) && (SentBefore is null || m.SentAt <= SentBefore);
}

/// <summary>
/// The store's indexes, so the API stays cheap at a thousand creates a second with many accounts: by sid, by account
/// (creation order), by account and recipient, and by account in sending order (binary search for DateSent ranges).
/// Not thread-safe: the store calls it under its lock.
/// </summary>
sealed class MessageIndex
{
    readonly Dictionary<string, EmulatedMessage> _bySid = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<EmulatedMessage>> _byAccount = new(StringComparer.Ordinal);
    readonly Dictionary<(string Account, string To), List<EmulatedMessage>> _byRecipient = [];
    readonly Dictionary<string, List<EmulatedMessage>> _sentByAccount = new(StringComparer.Ordinal);
    readonly HashSet<EmulatedMessage> _indexedSent = [];

    public void Add(EmulatedMessage message)
    {
        _bySid[message.Sid] = message;
        ListOf(_byAccount, message.AccountSid).Add(message);
        ListOf(_byRecipient, (message.AccountSid, message.To)).Add(message);
    }

    /// <summary>Called after every change: a message that now has a date_sent joins its account's sending order.</summary>
    public void Sent(EmulatedMessage message)
    {
        if (message.SentAt is not { } at || !_bySid.ContainsKey(message.Sid) || !_indexedSent.Add(message)) return;
        var sent = ListOf(_sentByAccount, message.AccountSid);
        var i = sent.Count; // almost always appended: dates are taken under the store's lock
        while (i > 0 && sent[i - 1].SentAt > at) i--;
        sent.Insert(i, message);
    }

    public EmulatedMessage? BySid(string sid) => _bySid.GetValueOrDefault(sid);

    public int CountOf(string accountSid) => _byAccount.TryGetValue(accountSid, out var list) ? list.Count : 0;

    /// <summary>The smallest indexed set that holds every message matching the filter (the caller still applies it).</summary>
    public IEnumerable<EmulatedMessage> Candidates(string accountSid, MessageFilter filter)
    {
        if (filter.To is { } to) return _byRecipient.GetValueOrDefault((accountSid, to)) ?? [];
        if (filter.SentAfter is null && filter.SentBefore is null) return _byAccount.GetValueOrDefault(accountSid) ?? [];
        if (!_sentByAccount.TryGetValue(accountSid, out var sent)) return [];
        var from = filter.SentAfter is { } after ? FirstAtOrAfter(sent, after) : 0;
        var end = filter.SentBefore is { } before ? FirstAtOrAfter(sent, before.AddTicks(1)) : sent.Count;
        return end > from ? sent.GetRange(from, end - from) : [];
    }

    public void Forget(string accountSid)
    {
        if (!_byAccount.Remove(accountSid, out var messages)) return;
        foreach (var m in messages)
        {
            _bySid.Remove(m.Sid);
            _byRecipient.Remove((accountSid, m.To));
            _indexedSent.Remove(m);
        }
        _sentByAccount.Remove(accountSid);
    }

    public void Clear()
    {
        _bySid.Clear();
        _byAccount.Clear();
        _byRecipient.Clear();
        _sentByAccount.Clear();
        _indexedSent.Clear();
    }

    static int FirstAtOrAfter(List<EmulatedMessage> sent, DateTimeOffset at)
    {
        int lo = 0, hi = sent.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sent[mid].SentAt < at) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    static List<EmulatedMessage> ListOf<TKey>(Dictionary<TKey, List<EmulatedMessage>> index, TKey key) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list)) index[key] = list = [];
        return list;
    }
}
