using System.Collections.Concurrent;
using MorfX.Data;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>Group commit: writes handed in together share one statement, yet each caller keeps its own outcome.</summary>
public class SharedWritesTests
{
    [Test]
    public async Task Writes_handed_in_together_share_one_statement_and_each_gets_its_own_result()
    {
        var statements = new ConcurrentQueue<IReadOnlyList<int>>();
        await using var writes = new SharedWrites<int, string>(items =>
        {
            statements.Enqueue(items);
            return Task.FromResult<IReadOnlyList<string>>([.. items.Select(i => $"fila {i}")]);
        }, TimeSpan.FromMilliseconds(200), maxItems: 100);

        var results = await Task.WhenAll(Enumerable.Range(1, 10).Select(i => writes.WriteAsync(i, CancellationToken.None)));

        Assert.That(results, Is.EqualTo(Enumerable.Range(1, 10).Select(i => $"fila {i}")));
        Assert.That(statements, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_shared_statement_that_fails_is_written_again_one_item_at_a_time_so_only_the_bad_item_fails()
    {
        var statements = new ConcurrentQueue<IReadOnlyList<int>>();
        await using var writes = new SharedWrites<int, int>(items =>
        {
            statements.Enqueue(items);
            // As PostgreSQL does: one row the database refuses fails the whole statement.
            if (items.Contains(13)) throw new InvalidOperationException("22021: byte nulo");
            return Task.FromResult<IReadOnlyList<int>>([.. items.Select(i => i * 2)]);
        }, TimeSpan.FromMilliseconds(200), maxItems: 100);

        var good = Enumerable.Range(1, 5).Select(i => writes.WriteAsync(i, CancellationToken.None)).ToList();
        var bad = writes.WriteAsync(13, CancellationToken.None);

        Assert.That(await Task.WhenAll(good), Is.EqualTo(new[] { 2, 4, 6, 8, 10 }));
        Assert.That(Assert.ThrowsAsync<InvalidOperationException>(() => bad)!.Message, Does.StartWith("22021"),
            "the bad item's caller gets the database's own error");
        Assert.That(statements.First(), Has.Count.EqualTo(6), "first written together");
        Assert.That(statements.Skip(1).Select(s => s.Count), Is.All.EqualTo(1), "then each on its own");
    }
}
