using System.Security.Cryptography;

namespace MorfX.TwilioEmulator;

/// <summary>One message the emulator accepted, with its lifecycle (status, price) as Twilio would report it.</summary>
public sealed class EmulatedMessage
{
    public required string Sid { get; init; }
    public required string AccountSid { get; init; }
    public required string To { get; init; }
    public required string From { get; init; }
    public required string Body { get; init; }
    public required IReadOnlyList<string> MediaUrls { get; init; }
    public required int Segments { get; init; }
    public string? StatusCallback { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>outbound-api for what the API created; inbound for what a customer sent (<see cref="EmulatorStore.AddInbound"/>).</summary>
    public string Direction { get; init; } = "outbound-api";
    public string Status { get; set; } = "queued";
    public int? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? Price { get; set; }
    public List<string> CallbacksPosted { get; } = [];
}

/// <summary>One call to the Twilio API as the emulator saw it, so tests can count attempts (e.g. "no retry").</summary>
public sealed record ApiCall(DateTimeOffset At, string Method, string Path, string? AccountSid, string? To, int Status, int? ErrorCode, string? Sid);

/// <summary>The fault to inject: the next Count message creations fail with Status; Delay slows every API call.</summary>
public sealed record Faults(int? Status, int Remaining, int DelayMs);

/// <summary>
/// One of Twilio's hard cases, for creates to one recipient (so each test picks its own): "slow" (the message is created at
/// once, the 201 comes DelayMs later), "error-after-create" (created, then answered with Status: 500/503 with Twilio's
/// JSON, 502 with a proxy's HTML page), "reset-after-create" (created, then the connection is dropped), "unsubscribed"
/// (refused with 21610, nothing created). Count: how many creates it applies to (null = all).
/// Callbacks: "lost" (none posted), "duplicated" (each posted twice), "reordered" (the final status before "sent").
/// </summary>
/// <summary>LookupsDownMs: after a create under this scenario, listing messages to that number answers 503 for this long.</summary>
public sealed record Scenario(string Kind, int DelayMs, int Status, int? Remaining, string? Callbacks, int LookupsDownMs);

/// <summary>The emulator's state: registered accounts, accepted messages, API calls and injected faults. Thread-safe.</summary>
public sealed class EmulatorStore
{
    readonly Lock _gate = new();
    readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> _sendDelays = new(StringComparer.Ordinal);
    readonly Dictionary<string, DateTimeOffset> _accountsCreated = new(StringComparer.Ordinal);
    readonly List<EmulatedMessage> _messages = [];
    // Customers' SMS to the accounts' numbers: fetchable by sid, as at Twilio, but kept out of the dump and counts of what was sent.
    readonly Dictionary<string, EmulatedMessage> _inbound = new(StringComparer.Ordinal);
    readonly MessageIndex _index = new();
    readonly List<ApiCall> _calls = [];
    Faults _faults = new(null, 0, 0);
    CreateChaos? _chaos;
    readonly Dictionary<string, Scenario> _scenarios = new(StringComparer.Ordinal);
    readonly Dictionary<string, DateTimeOffset> _lookupsDownUntil = new(StringComparer.Ordinal);

    public void SetScenario(string to, Scenario scenario)
    {
        lock (_gate) _scenarios[to] = scenario;
    }

    /// <summary>The create scenario for this recipient, if any is left (one use consumed).</summary>
    public Scenario? TakeScenario(string to)
    {
        lock (_gate)
        {
            if (!_scenarios.TryGetValue(to, out var scenario) || scenario.Remaining is <= 0) return null;
            if (scenario.Remaining is { } left) _scenarios[to] = scenario with { Remaining = left - 1 };
            return scenario;
        }
    }

    public void TakeLookupsDown(string to, TimeSpan duration)
    {
        lock (_gate) _lookupsDownUntil[to] = DateTimeOffset.UtcNow + duration;
    }

    public bool LookupsDown(string to)
    {
        lock (_gate) return _lookupsDownUntil.TryGetValue(to, out var until) && until > DateTimeOffset.UtcNow;
    }

    /// <summary>How callbacks to this recipient misbehave (lost, duplicated, reordered), whatever is left of its create scenario.</summary>
    public string? CallbackMode(string to)
    {
        lock (_gate) return _scenarios.GetValueOrDefault(to)?.Callbacks;
    }

    public void RegisterAccount(string accountSid, string authToken, int sendDelayMs = 0)
    {
        lock (_gate)
        {
            _tokens[accountSid] = authToken;
            _accountsCreated.TryAdd(accountSid, DateTimeOffset.UtcNow);
            if (sendDelayMs > 0) _sendDelays[accountSid] = sendDelayMs;
            else _sendDelays.Remove(accountSid);
        }
    }

    /// <summary>How long this account takes to answer a message creation (a slow account: 0 for most).</summary>
    public int SendDelayOf(string accountSid)
    {
        lock (_gate) return _sendDelays.GetValueOrDefault(accountSid);
    }

    public string? TokenOf(string accountSid)
    {
        lock (_gate) return _tokens.GetValueOrDefault(accountSid);
    }

    public DateTimeOffset AccountCreatedAt(string accountSid)
    {
        lock (_gate) return _accountsCreated.GetValueOrDefault(accountSid, DateTimeOffset.UtcNow);
    }

    public void Add(EmulatedMessage message)
    {
        lock (_gate)
        {
            _messages.Add(message);
            _index.Add(message);
        }
    }

    public void AddInbound(EmulatedMessage message)
    {
        lock (_gate) _inbound[message.Sid] = message;
    }

    public EmulatedMessage? Find(string accountSid, string sid)
    {
        lock (_gate) return (_index.BySid(sid) ?? _inbound.GetValueOrDefault(sid)) is { } m && m.AccountSid == accountSid ? m : null;
    }

    public EmulatedMessage? FindBySid(string sid)
    {
        lock (_gate) return _index.BySid(sid);
    }

    /// <summary>Mutates a message under the store's lock, so the lifecycle and the API never see half an update.</summary>
    public T Update<T>(EmulatedMessage message, Func<EmulatedMessage, T> change)
    {
        lock (_gate)
        {
            var result = change(message);
            message.UpdatedAt = DateTimeOffset.UtcNow;
            _index.Sent(message);
            return result;
        }
    }

    /// <summary>Reads a message under the store's lock (a consistent snapshot).</summary>
    public T Read<T>(EmulatedMessage message, Func<EmulatedMessage, T> read)
    {
        lock (_gate) return read(message);
    }

    public List<EmulatedMessage> Messages(Func<EmulatedMessage, bool>? filter = null)
    {
        lock (_gate) return [.. _messages.Where(filter ?? (_ => true))];
    }

    /// <summary>An account's messages matching Twilio's list filters, found through the indexes (never a scan of every message).</summary>
    public List<EmulatedMessage> Messages(string accountSid, MessageFilter filter)
    {
        lock (_gate) return [.. _index.Candidates(accountSid, filter).Where(filter.Matches)];
    }

    /// <summary>How many messages these accounts have (all accounts when none is named): cheap, for polling.</summary>
    public int Count(IReadOnlyCollection<string> accountSids)
    {
        lock (_gate) return accountSids.Count == 0 ? _messages.Count : accountSids.Sum(_index.CountOf);
    }

    /// <summary>Forgets these accounts' messages and API calls (the accounts and their tokens stay).</summary>
    public int Forget(IReadOnlyCollection<string> accountSids)
    {
        var accounts = accountSids.ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            var removed = _messages.RemoveAll(m => accounts.Contains(m.AccountSid));
            foreach (var sid in _inbound.Where(i => accounts.Contains(i.Value.AccountSid)).Select(i => i.Key).ToList()) _inbound.Remove(sid);
            _calls.RemoveAll(c => c.AccountSid is { } a && accounts.Contains(a));
            foreach (var account in accounts) _index.Forget(account);
            return removed;
        }
    }

    public void Record(ApiCall call)
    {
        lock (_gate) _calls.Add(call);
    }

    public List<ApiCall> Calls()
    {
        lock (_gate) return [.. _calls];
    }

    public void Reset()
    {
        lock (_gate)
        {
            _messages.Clear();
            _inbound.Clear();
            _index.Clear();
            _calls.Clear();
            _scenarios.Clear();
        }
    }

    /// <summary>Random faults on a share of every create (<see cref="CreateChaos"/>); null: none.</summary>
    public void SetChaos(CreateChaos? chaos)
    {
        lock (_gate) _chaos = chaos;
    }

    public CreateChaos? CurrentChaos()
    {
        lock (_gate) return _chaos;
    }

    public void SetFaults(Faults faults)
    {
        lock (_gate) _faults = faults;
    }

    public Faults CurrentFaults()
    {
        lock (_gate) return _faults;
    }

    /// <summary>Consumes one injected failure for a message creation, if any is left.</summary>
    public int? TakeCreateFault()
    {
        lock (_gate)
        {
            if (_faults.Status is not { } status || _faults.Remaining <= 0) return null;
            _faults = _faults with { Remaining = _faults.Remaining - 1 };
            return status;
        }
    }

    /// <summary>SM (SMS) or MM (MMS) followed by 32 lowercase hex digits: 34 characters, like Twilio's sids.</summary>
    public static string NewSid(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
