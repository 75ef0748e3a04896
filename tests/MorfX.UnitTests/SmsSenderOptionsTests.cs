using MorfX.SmsSender.Extensions;
using MorfX.SmsSender.Sending;
using MorfX.SmsSender.Twilio;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>sms-sender's settings: every key optional, each bad value stops start-up with a message that names its key.</summary>
public class SmsSenderOptionsTests
{
    static ConfiguredSettings Configure(params (string, string)[] values) => new((s, c) => s.AddSmsSenderOptions(c), values);

    [Test]
    public void Without_configuration_the_service_starts_with_its_documented_defaults()
    {
        using var settings = Configure();
        Assert.That(settings.StartupFailure(), Is.Null);
        var sending = settings.Get<SendingOptions>();
        Assert.Multiple(() =>
        {
            Assert.That(sending.WebhookIngestBaseUrl, Is.EqualTo("http://127.0.0.1:5101"));
            Assert.That(sending.SendLease, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(sending.ConcurrentMessages, Is.EqualTo(128));
            Assert.That(settings.Get<TwilioOptions>().TotalTimeout, Is.EqualTo(TimeSpan.FromSeconds(12)));
            Assert.That(settings.Get<DeliveryRetryOptions>().PollInterval, Is.EqualTo(TimeSpan.FromSeconds(5)));
        });
    }

    [Test]
    public void The_status_callback_goes_to_the_configured_public_address_without_a_doubled_slash()
    {
        using var settings = Configure(("PublicUrls:WebhookIngest", "https://api.morfx.app/"));
        var workspace = Guid.Parse("11111111-2222-4333-8444-555555555555");
        var request = Guid.Parse("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");

        Assert.That(settings.Get<SendingOptions>().StatusCallbackFor(workspace, request), Is.EqualTo(
            "https://api.morfx.app/webhooks/twilio/status/11111111-2222-4333-8444-555555555555?r=aaaaaaaabbbb4ccc8dddeeeeeeeeeeee"));
    }

    [Test]
    public void A_lease_shorter_than_a_whole_Twilio_call_is_raised_to_outlast_it()
    {
        using var settings = Configure(("Sending:Lease", "00:00:02"), ("Twilio:TotalTimeout", "00:00:20"));
        Assert.That(settings.Get<SendingOptions>().SendLease, Is.EqualTo(TimeSpan.FromSeconds(25)));
    }

    [TestCase("Sending:ConcurrentMessages", "0")]
    [TestCase("Sending:MaxCreates", "0")]
    [TestCase("Sending:Lease", "02:00:00")]
    [TestCase("DeliveryRetry:MaxAttempts", "0")]
    [TestCase("DeliveryRetry:FirstDelay", "00:00:00")]
    [TestCase("Pricing:MaxChecks", "0")]
    [TestCase("Pricing:BatchSize", "100000")]
    [TestCase("Twilio:MaxRetries", "-1")]
    [TestCase("Twilio:TotalTimeout", "00:00:00")]
    public void A_value_out_of_range_stops_start_up(string key, string value)
    {
        using var settings = Configure((key, value));
        var failure = settings.StartupFailure();
        TestContext.Out.WriteLine($"{key}={value}: {failure}");
        Assert.That(failure, Is.Not.Null.And.Contain(key.Split(':')[1]));
    }

    [TestCase("PublicUrls:WebhookIngest", "api.morfx.app", "PublicUrls:WebhookIngest must be an absolute http(s) URL")]
    [TestCase("Twilio:BaseUrl", "ftp://twilio.example", "Twilio:BaseUrl must be an absolute http(s) URL")]
    public void An_address_that_is_not_http_stops_start_up_naming_its_key(string key, string value, string message)
    {
        using var settings = Configure((key, value));
        Assert.That(settings.StartupFailure(), Does.Contain(message));
    }

    [Test]
    public void Contradicting_bounds_stop_start_up_naming_both_keys()
    {
        using var settings = Configure(
            ("Pricing:InitialBackoff", "00:10:00"), ("Pricing:MaxBackoff", "00:01:00"),
            ("Twilio:AttemptTimeout", "00:00:30"), ("Twilio:TotalTimeout", "00:00:10"));
        var failure = settings.StartupFailure();
        TestContext.Out.WriteLine(failure);
        Assert.That(failure, Does.Contain("Pricing:InitialBackoff must not exceed Pricing:MaxBackoff")
            .And.Contain("Twilio:AttemptTimeout must not exceed Twilio:TotalTimeout"));
    }
}
