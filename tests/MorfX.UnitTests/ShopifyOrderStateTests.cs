using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;
using NUnit.Framework;
using State = MorfX.AutomationEngine.Automations.ShopifyOrderCopies.OrderState;

namespace MorfX.UnitTests;

/// <summary>
/// Shopify does not deliver in order, retries carry the original payload, and reconciliation reads states a webhook may also
/// bring: which order state is news, and which changes nothing (ShopifyOrderCopies.Judge), alone and within one batch.
/// </summary>
public class ShopifyOrderStateTests
{
    static readonly DateTimeOffset T0 = new(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);
    static readonly Guid Workspace = Guid.NewGuid();

    static ShopifyTrigger Update(DateTimeOffset updatedAt, DateTimeOffset triggeredAt, bool reconciled = false)
    {
        var order = new ShopifyOrder("t.myshopify.com", 1, "#1", 1, null, null, 1m, "COP", "paid", null, null, [], null, [], null,
            T0, updatedAt, null, null, null, "{}");
        return new ShopifyTrigger(new ShopifyOrderUpdated(Guid.NewGuid(), Workspace, triggeredAt, order), order) { Reconciled = reconciled };
    }

    static Dictionary<(Guid, long), State> Seen(DateTimeOffset updatedAt, DateTimeOffset? triggeredAt = null, bool reconciled = false) =>
        new() { [(Workspace, 1)] = new State(updatedAt, triggeredAt, reconciled) };

    static bool Stale(Dictionary<(Guid, long), State> seen, ShopifyTrigger update) =>
        ShopifyOrderCopies.Judge(seen, [update], update: true).Stale.Contains(update.Event.EventId);

    [Test]
    public void An_older_update_after_a_newer_one_changes_nothing() =>
        Assert.That(Stale(Seen(T0.AddMinutes(5), T0.AddMinutes(5)), Update(T0.AddMinutes(1), T0.AddMinutes(6))), Is.True);

    [Test]
    public void A_newer_update_is_news() =>
        Assert.That(Stale(Seen(T0.AddMinutes(1), T0.AddMinutes(1)), Update(T0.AddMinutes(5), T0.AddMinutes(5))), Is.False);

    [Test]
    public void Between_updates_of_one_updated_at_the_later_triggered_at_wins()
    {
        var seen = Seen(T0, triggeredAt: T0.AddSeconds(2));

        Assert.That(Stale(seen, Update(T0, T0.AddSeconds(1))), Is.True, "triggered earlier");
        Assert.That(Stale(seen, Update(T0, T0.AddSeconds(3))), Is.False, "triggered later");
    }

    [Test]
    public void The_first_update_of_a_state_seen_only_at_creation_is_news() =>
        Assert.That(Stale(Seen(T0), Update(T0, T0.AddSeconds(1))), Is.False);

    [Test]
    public void A_reconciled_state_is_news_only_when_newer_than_what_was_seen()
    {
        Assert.That(Stale(Seen(T0, T0.AddSeconds(1)), Update(T0, T0, reconciled: true)), Is.True, "the webhook brought it");
        Assert.That(Stale(Seen(T0), Update(T0, T0, reconciled: true)), Is.True, "seen at creation");
        Assert.That(Stale(Seen(T0), Update(T0.AddMinutes(1), T0.AddMinutes(1), reconciled: true)), Is.False, "missed");
        Assert.That(Stale([], Update(T0, T0, reconciled: true)), Is.False, "never seen");
    }

    [Test]
    public void A_late_webhook_of_a_reconciled_state_changes_nothing() =>
        Assert.That(Stale(Seen(T0, reconciled: true), Update(T0, T0.AddHours(3))), Is.True);

    [Test]
    public void In_one_batch_a_late_older_update_is_judged_against_the_newer_one_before_it()
    {
        var newer = Update(T0.AddMinutes(1), T0.AddMinutes(1));
        var olderRetried = Update(T0, T0.AddMinutes(2));

        var verdict = ShopifyOrderCopies.Judge(Seen(T0, T0), [newer, olderRetried], update: true);

        Assert.That(verdict.Stale, Is.EquivalentTo(new[] { olderRetried.Event.EventId }));
        Assert.That(verdict.Outdated, Is.EquivalentTo(new[] { olderRetried.Event.EventId }));
    }
}
