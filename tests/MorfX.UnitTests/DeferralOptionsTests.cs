using MorfX.SmsSender.Sending;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>How long an SMS parked by an outage (config-api or Twilio down) waits before each hand-back.</summary>
public class DeferralOptionsTests
{
    [TestCase(1, 30)]
    [TestCase(2, 60)]
    [TestCase(3, 120)]
    [TestCase(4, 240)]
    [TestCase(5, 300)]
    [TestCase(1000, 300)]
    public void The_wait_doubles_from_thirty_seconds_up_to_five_minutes(int deferral, int seconds) =>
        Assert.That(new DeferralOptions().DelayBefore(deferral), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [Test]
    public void Configured_delays_are_honoured_and_the_cap_is_never_exceeded()
    {
        var options = new DeferralOptions { FirstDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(10) };
        var waits = Enumerable.Range(1, 8).Select(n => options.DelayBefore(n).TotalSeconds);

        Assert.That(waits, Is.EqualTo(new double[] { 1, 2, 4, 8, 10, 10, 10, 10 }));
        Assert.That(options.DelayBefore(0), Is.EqualTo(TimeSpan.FromSeconds(1)), "a request never parked before waits the first delay");
    }
}
