using System.Collections.Concurrent;
using MassTransit;

namespace MorfX.UsageApi.Tests;

/// <summary>
/// Records which published messages the service has finished consuming, so a test can publish events one at a
/// time in a chosen order (out-of-order delivery made deterministic) and know when a repeat has been handled.
/// </summary>
public sealed class ConsumedMessages : IConsumeObserver
{
    readonly ConcurrentDictionary<Guid, string> _done = new();

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.MessageId is { } id) _done[id] = "consumed";
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        if (context.MessageId is { } id) _done.TryAdd(id, "faulted: " + exception.Message);
        return Task.CompletedTask;
    }

    public async Task WaitForAsync(IEnumerable<Guid> messageIds)
    {
        var ids = messageIds.ToList();
        await WaitUntil(() => ids.All(_done.ContainsKey));
        var faults = ids.Select(id => _done[id]).Where(s => s != "consumed").ToList();
        if (faults.Count > 0) throw new InvalidOperationException(string.Join("; ", faults));
    }

    static async Task WaitUntil(Func<bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The service did not consume the published events in time.");
            await Task.Delay(20);
        }
    }
}
