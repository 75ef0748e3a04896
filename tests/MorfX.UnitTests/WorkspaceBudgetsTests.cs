using MorfX.Messaging.Fairness;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>The per-workspace token bucket that decides when a workspace's messages take the bulk lane.</summary>
public class WorkspaceBudgetsTests
{
    [Test]
    public void A_workspace_gets_its_burst_then_its_rate_and_another_workspace_is_untouched()
    {
        var clock = new ManualClock();
        var budgets = new WorkspaceBudgets(new FairnessOptions { Burst = 20, PerSecond = 5 }, clock);
        var noisy = Guid.NewGuid();

        var burst = Enumerable.Range(0, 25).Count(_ => budgets.TryTake(noisy));
        Assert.That(burst, Is.EqualTo(20));
        Assert.That(budgets.TryTake(Guid.NewGuid()), Is.True, "another workspace has its own bucket");

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(Enumerable.Range(0, 10).Count(_ => budgets.TryTake(noisy)), Is.EqualTo(5), "5 per second after the burst");

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.That(Enumerable.Range(0, 30).Count(_ => budgets.TryTake(noisy)), Is.EqualTo(20), "a quiet workspace's bucket refills to the burst, no more");
    }
}
