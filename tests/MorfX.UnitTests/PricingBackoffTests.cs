using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using MorfX.SmsSender.Extensions;
using MorfX.SmsSender.Pricing;
using MorfX.SmsSender.Sending;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>When Twilio is asked for a message's price: the learnt first check, then a doubling backoff.</summary>
public class PricingBackoffTests
{
    static readonly PricingOptions Defaults = new();

    [TestCase(1, 30)]
    [TestCase(2, 60)]
    [TestCase(3, 120)]
    [TestCase(7, 1920)]
    [TestCase(8, 3600)]
    [TestCase(50, 3600)]
    public void Price_checks_back_off_from_thirty_seconds_doubling_up_to_an_hour(int checks, int seconds) =>
        Assert.That(Defaults.BackoffAfter(checks), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [Test]
    public void The_schedule_is_read_from_configuration()
    {
        using var configured = new ConfiguredSettings((s, c) => s.AddSmsSenderOptions(c),
            ("Pricing:InitialBackoff", "00:00:05"), ("Pricing:MaxBackoff", "00:00:30"), ("Pricing:MaxChecks", "4"));
        var settings = configured.Get<PricingOptions>();

        Assert.That(Enumerable.Range(1, 5).Select(n => settings.BackoffAfter(n).TotalSeconds), Is.EqualTo(new double[] { 5, 10, 20, 30, 30 }));
        Assert.That(settings.MaxChecks, Is.EqualTo(4));
        Assert.That(Defaults.MaxChecks, Is.EqualTo(12));
    }

    static (PricingDelay Delay, ManualClock Clock) NewDelay(TimeSpan first, TimeSpan max)
    {
        var clock = new ManualClock();
        var settings = new PricingOptions { FirstCheckDelay = first, MaxFirstCheckDelay = max };
        return (new PricingDelay(Options.Create(settings), new SmsMetrics(new Meter("MorfX.UnitTests")), clock), clock);
    }

    static void Observe(PricingDelay delay, int priced, int missed)
    {
        for (var i = 0; i < priced; i++) delay.Observe(true);
        for (var i = 0; i < missed; i++) delay.Observe(false);
    }

    [Test]
    public void The_first_check_comes_earlier_when_nearly_every_price_was_already_there()
    {
        var (delay, clock) = NewDelay(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));

        Observe(delay, priced: 25, missed: 0);
        Assert.That(delay.FirstCheckAfter, Is.EqualTo(TimeSpan.FromSeconds(30)), "not before a whole 10 s window has passed");

        clock.Advance(TimeSpan.FromSeconds(10));
        Observe(delay, priced: 1, missed: 0);
        Assert.That(delay.FirstCheckAfter, Is.EqualTo(TimeSpan.FromSeconds(27)), "10 % earlier");
    }

    [Test]
    public void The_first_check_comes_later_when_most_prices_were_missing_and_stays_when_most_were_there()
    {
        var (delay, clock) = NewDelay(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));
        clock.Advance(TimeSpan.FromSeconds(10));
        Observe(delay, priced: 5, missed: 15);
        Assert.That(delay.FirstCheckAfter, Is.EqualTo(TimeSpan.FromSeconds(37.5)), "25 % later");

        clock.Advance(TimeSpan.FromSeconds(10));
        Observe(delay, priced: 16, missed: 4);
        Assert.That(delay.FirstCheckAfter, Is.EqualTo(TimeSpan.FromSeconds(37.5)), "80 % found: no change");
    }

    [Test]
    public void The_learnt_delay_stays_between_one_second_and_the_configured_maximum()
    {
        var (fast, fastClock) = NewDelay(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        fastClock.Advance(TimeSpan.FromSeconds(10));
        Observe(fast, priced: 20, missed: 0);
        Assert.That(fast.FirstCheckAfter, Is.EqualTo(TimeSpan.FromSeconds(1)));

        var (slow, slowClock) = NewDelay(TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
        slowClock.Advance(TimeSpan.FromSeconds(10));
        Observe(slow, priced: 0, missed: 20);
        Assert.That(slow.FirstCheckAfter, Is.EqualTo(TimeSpan.FromMinutes(1)));
    }
}
