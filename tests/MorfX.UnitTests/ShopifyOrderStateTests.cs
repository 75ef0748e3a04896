using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>
/// Shopify does not deliver in order, retries carry the original payload, and reconciliation reads states a webhook may also
/// bring: which order state is news, and which changes nothing (ShopifyOrderCopies).
/// </summary>
public class ShopifyOrderStateTests
{
    static readonly DateTimeOffset T0 = new(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);

    static ShopifyTrigger Update(DateTimeOffset updatedAt, DateTimeOffset triggeredAt, bool reconciled = false)
    {
        var order = new ShopifyOrder("t.myshopify.com", 1, "#1", 1, null, null, 1m, "COP", "paid", null, null, [], null, [], null,
            T0, updatedAt, null, null, null, "{}");
        return new ShopifyTrigger(new ShopifyOrderUpdated(Guid.NewGuid(), Guid.NewGuid(), triggeredAt, order), order) { Reconciled = reconciled };
    }

    static LastShopifyOrder Copy(DateTimeOffset updatedAt, DateTimeOffset? triggeredAt = null, bool reconciled = false) =>
        new() { Fields = "{}", OrderUpdatedAt = updatedAt, UpdateTriggeredAt = triggeredAt, StateReconciled = reconciled };

    [Test]
    public void An_older_update_after_a_newer_one_changes_nothing() =>
        Assert.That(ShopifyOrderCopies.IsStaleUpdate(Copy(T0.AddMinutes(5), T0.AddMinutes(5)), Update(T0.AddMinutes(1), T0.AddMinutes(6))), Is.True);

    [Test]
    public void A_newer_update_is_news() =>
        Assert.That(ShopifyOrderCopies.IsStaleUpdate(Copy(T0.AddMinutes(1), T0.AddMinutes(1)), Update(T0.AddMinutes(5), T0.AddMinutes(5))), Is.False);

    [Test]
    public void Between_updates_of_one_updated_at_the_later_triggered_at_wins()
    {
        var copy = Copy(T0, triggeredAt: T0.AddSeconds(2));

        Assert.That(ShopifyOrderCopies.IsStaleUpdate(copy, Update(T0, T0.AddSeconds(1))), Is.True, "triggered earlier");
        Assert.That(ShopifyOrderCopies.IsStaleUpdate(copy, Update(T0, T0.AddSeconds(3))), Is.False, "triggered later");
    }

    [Test]
    public void The_first_update_of_a_state_seen_only_at_creation_is_news() =>
        Assert.That(ShopifyOrderCopies.IsStaleUpdate(Copy(T0), Update(T0, T0.AddSeconds(1))), Is.False);

    [Test]
    public void A_reconciled_state_is_news_only_when_newer_than_what_was_seen()
    {
        Assert.That(ShopifyOrderCopies.IsStaleUpdate(Copy(T0, T0.AddSeconds(1)), Update(T0, T0, reconciled: true)), Is.True, "the webhook brought it");
        Assert.That(ShopifyOrderCopies.IsStaleUpdate(Copy(T0), Update(T0, T0, reconciled: true)), Is.True, "seen at creation");
        Assert.That(ShopifyOrderCopies.IsStaleUpdate(Copy(T0), Update(T0.AddMinutes(1), T0.AddMinutes(1), reconciled: true)), Is.False, "missed");
        Assert.That(ShopifyOrderCopies.IsStaleUpdate(null, Update(T0, T0, reconciled: true)), Is.False, "never seen");
    }

    [Test]
    public void A_late_webhook_of_a_reconciled_state_changes_nothing() =>
        Assert.That(ShopifyOrderCopies.IsStaleUpdate(Copy(T0, reconciled: true), Update(T0, T0.AddHours(3))), Is.True);
}
