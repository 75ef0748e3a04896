using MorfX.Rules;
using MorfX.SmsSender.Extensions;
using MorfX.SmsSender.Sending;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>
/// Which Twilio failures earn another message later, how many, and under which request id. (When each is due, first delay
/// then four times it, is set in SmsStatusUpdate's database update and is covered by the sms-sender integration tests.)
/// </summary>
public class DeliveryRetriesTests
{
    [TestCase(TwilioErrorCodes.UnreachableHandset, true)]
    [TestCase(TwilioErrorCodes.UnknownError, true)]
    [TestCase(TwilioErrorCodes.UnknownDestination, false)]
    [TestCase(TwilioErrorCodes.Unsubscribed, false)]
    [TestCase(TwilioErrorCodes.FilteredAsSpam, false)]
    [TestCase(null, false)]
    public void Only_transient_carrier_failures_are_delivered_again(int? code, bool retried)
    {
        Assert.That(TwilioErrorCodes.IsRetryableDelivery(code), Is.EqualTo(retried));
        if (retried)
        {
            Assert.That(TwilioErrorCodes.IsPermanent(code), Is.False);
            Assert.That(TwilioErrorCodes.SpanishReason(code), Does.Contain("lo intenta de nuevo"), "the run history says it will be retried");
        }
    }

    [Test]
    public void A_rate_limit_is_recognised_by_status_or_by_code()
    {
        Assert.That(TwilioErrorCodes.IsRateLimit(429, null), Is.True);
        Assert.That(TwilioErrorCodes.IsRateLimit(400, TwilioErrorCodes.TooManyRequests), Is.True);
        Assert.That(TwilioErrorCodes.IsRateLimit(400, TwilioErrorCodes.InvalidToNumber), Is.False);
    }

    [Test]
    public void Each_redelivery_has_its_own_id_and_the_same_one_whoever_derives_it()
    {
        var failed = Guid.Parse("3f2b8c1e-0000-4000-8000-000000000001");
        var second = DeliveryRetrier.NextRequestId(failed, 2);

        Assert.That(DeliveryRetrier.NextRequestId(failed, 2), Is.EqualTo(second), "a repeated hand-over is the same request");
        Assert.That(second, Is.Not.EqualTo(failed));
        Assert.That(DeliveryRetrier.NextRequestId(failed, 3), Is.Not.EqualTo(second));
        Assert.That(DeliveryRetrier.NextRequestId(Guid.NewGuid(), 2), Is.Not.EqualTo(second));
    }

    [Test]
    public void Three_messages_five_minutes_apart_unless_configured_otherwise()
    {
        var defaults = new DeliveryRetryOptions();
        Assert.That((defaults.MaxAttempts, defaults.FirstDelay), Is.EqualTo((3, TimeSpan.FromMinutes(5))));

        using var configured = new ConfiguredSettings((s, c) => s.AddSmsSenderOptions(c),
            ("DeliveryRetry:MaxAttempts", "2"), ("DeliveryRetry:FirstDelay", "00:00:10"));
        var settings = configured.Get<DeliveryRetryOptions>();
        Assert.That((settings.MaxAttempts, settings.FirstDelay), Is.EqualTo((2, TimeSpan.FromSeconds(10))));
    }
}
