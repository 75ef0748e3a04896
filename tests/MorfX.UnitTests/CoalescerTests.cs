using System.Collections.Concurrent;
using MorfX.Messaging;
using MorfX.ServiceDefaults;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>Many announcements to one broker message: each caller learns whether the message carrying its item went out.</summary>
public class CoalescerTests
{
    [Test]
    public async Task Items_handed_in_together_go_in_one_message_and_each_caller_waits_for_it()
    {
        var published = new ConcurrentQueue<IReadOnlyList<int>>();
        var gate = new TaskCompletionSource();
        await using var coalescer = new Coalescer<int>(async items => { await gate.Task; published.Enqueue(items); },
            TimeSpan.FromMilliseconds(50), maxItems: 100);

        var callers = Enumerable.Range(1, 10).Select(i => coalescer.AddAsync(i, CancellationToken.None)).ToList();
        await Task.Delay(200);
        Assert.That(callers.Any(c => c.IsCompleted), Is.False, "no caller is done before its message is published");
        gate.SetResult();
        await Task.WhenAll(callers);

        Assert.That(published.SelectMany(p => p), Is.EquivalentTo(Enumerable.Range(1, 10)));
        Assert.That(published, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_message_holds_at_most_max_items()
    {
        var published = new ConcurrentQueue<IReadOnlyList<int>>();
        await using var coalescer = new Coalescer<int>(items => { published.Enqueue(items); return Task.CompletedTask; },
            TimeSpan.FromSeconds(1), maxItems: 4);

        await Task.WhenAll(Enumerable.Range(1, 10).Select(i => coalescer.AddAsync(i, CancellationToken.None)));

        Assert.That(published.Select(p => p.Count), Is.All.LessThanOrEqualTo(4));
        Assert.That(published.SelectMany(p => p), Is.EquivalentTo(Enumerable.Range(1, 10)));
    }

    [Test]
    public async Task A_failed_publish_fails_every_caller_in_it_and_the_next_message_still_goes()
    {
        var attempts = 0;
        await using var coalescer = new Coalescer<int>(items =>
            Interlocked.Increment(ref attempts) == 1 ? Task.FromException(new TimeoutException("not confirmed")) : Task.CompletedTask,
            TimeSpan.FromMilliseconds(50), maxItems: 100);

        var failed = Enumerable.Range(1, 3).Select(i => coalescer.AddAsync(i, CancellationToken.None)).ToList();
        foreach (var caller in failed) Assert.ThrowsAsync<TimeoutException>(() => caller);

        Assert.DoesNotThrowAsync(() => coalescer.AddAsync(4, CancellationToken.None));
    }

    [Test]
    public async Task An_item_whose_caller_stopped_waiting_is_left_out_of_the_next_message()
    {
        var published = new ConcurrentQueue<IReadOnlyList<int>>();
        var gate = new TaskCompletionSource();
        await using var coalescer = new Coalescer<int>(async items => { await gate.Task; published.Enqueue(items); },
            TimeSpan.FromMilliseconds(20), maxItems: 100);

        // The broker is slow: the first message waits for its confirm while more items queue behind it.
        var first = coalescer.AddAsync(1, CancellationToken.None);
        await Task.Delay(100);
        using var gaveUp = new CancellationTokenSource();
        var abandoned = coalescer.AddAsync(2, gaveUp.Token);
        var waiting = coalescer.AddAsync(3, CancellationToken.None);
        gaveUp.Cancel();
        gate.SetResult();
        await Task.WhenAll(first, waiting);

        Assert.That(published.Select(p => p.ToArray()), Is.EqualTo(new[] { new[] { 1 }, new[] { 3 } }));
        Assert.That(abandoned.IsCanceled, Is.True);
    }

    [Test]
    public async Task Items_handed_in_before_disposal_are_still_published()
    {
        var published = new ConcurrentQueue<int>();
        var coalescer = new Coalescer<int>(items => { foreach (var i in items) published.Enqueue(i); return Task.CompletedTask; },
            TimeSpan.FromSeconds(5), maxItems: 100);

        var caller = coalescer.AddAsync(7, CancellationToken.None);
        await coalescer.DisposeAsync();

        await caller;
        Assert.That(published, Is.EqualTo(new[] { 7 }));
        Assert.Throws<ObjectDisposedException>(() => coalescer.AddAsync(8, CancellationToken.None));
    }
}
