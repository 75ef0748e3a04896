using System.Net.Http.Json;

/// <summary>An SMS as the Twilio emulator received it (its control API's view, the fields the benchmark needs).</summary>
sealed record BenchMessage(string Sid, string AccountSid, string Body, DateTimeOffset CreatedAt);

/// <summary>The emulator's own settings: when a message's status and price appear after its creation.</summary>
sealed record EmulatorSettings(bool CallbacksEnabled, int CallbackDelayMs, int PriceDelayMs)
{
    /// <summary>How long after its creation Twilio (the emulator) has a message's price: "sent", the final status, then the price.</summary>
    public TimeSpan PricedAfter() => TimeSpan.FromMilliseconds(2 * CallbackDelayMs + Math.Max(PriceDelayMs, 0));
}

/// <summary>The Twilio emulator's control endpoints: counts while draining, one account's messages after, clean-up between rates.</summary>
sealed class EmulatorClient(HttpClient http, string baseUrl)
{
    public async Task<EmulatorSettings> SettingsAsync() => (await http.GetFromJsonAsync<EmulatorSettings>($"{baseUrl}/_emulator/settings"))!;

    public async Task<int> CountAsync(IEnumerable<string> accountSids)
    {
        using var response = await http.PostAsJsonAsync($"{baseUrl}/_emulator/messages/count", new { accountSids = accountSids.ToArray() });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CountAnswer>())!.Count;
    }

    /// <summary>The messages of these accounts only (the emulator indexes them per account), a few accounts at a time.</summary>
    public async Task<List<BenchMessage>> MessagesAsync(IEnumerable<string> accountSids)
    {
        var all = new List<BenchMessage>();
        await Parallel.ForEachAsync(accountSids, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (account, ct) =>
        {
            var mine = await http.GetFromJsonAsync<List<BenchMessage>>($"{baseUrl}/_emulator/messages?accountSid={account}", ct);
            lock (all) all.AddRange(mine!);
        });
        return all;
    }

    /// <summary>
    /// Waits until these accounts have at least <paramref name="expected"/> messages and 3 s pass without another (a late
    /// double would show), or until 30 s pass without growth. Polls a count, never the messages themselves.
    /// </summary>
    public async Task<int> DrainAsync(IReadOnlyCollection<string> accountSids, int expected)
    {
        var count = 0;
        var lastGrowth = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var now = await CountAsync(accountSids);
            if (now > count) lastGrowth.Restart();
            count = now;
            if (count >= expected && lastGrowth.Elapsed > TimeSpan.FromSeconds(3)) return count;
            if (lastGrowth.Elapsed > TimeSpan.FromSeconds(30)) return count;
            await Task.Delay(250);
        }
    }

    public async Task ForgetAsync(IEnumerable<string> accountSids)
    {
        using var response = await http.PostAsJsonAsync($"{baseUrl}/_emulator/messages/forget", new { accountSids = accountSids.ToArray() });
        response.EnsureSuccessStatusCode();
    }

    sealed record CountAnswer(int Count);
}
