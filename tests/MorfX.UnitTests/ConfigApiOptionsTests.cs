using MorfX.ConfigApi.Apis;
using MorfX.ConfigApi.Extensions;
using MorfX.ConfigApi.Shopify;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>config-api's test-SMS limits and Shopify addresses: defaults that boot, and bad values that stop start-up by name.</summary>
public class ConfigApiOptionsTests
{
    static ConfiguredSettings Configure(params (string, string)[] values) => new((s, c) => s.AddConfigApiOptions(c), values);

    [Test]
    public void Without_configuration_five_test_SMS_per_ten_minutes_and_Shopify_delivers_to_the_local_ingest()
    {
        using var settings = Configure();
        Assert.That(settings.StartupFailure(), Is.Null);
        var testSms = settings.Get<TestSmsOptions>();
        Assert.That((testSms.PermitLimit, testSms.Window, testSms.Timeout),
            Is.EqualTo((5, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(15))));
        Assert.That(settings.Get<ShopifyAdminOptions>().WebhookIngestBaseUrl, Is.EqualTo("http://127.0.0.1:5101"));
    }

    [Test]
    public void The_public_address_is_taken_from_PublicUrls_without_its_trailing_slash()
    {
        using var settings = Configure(("PublicUrls:WebhookIngest", "https://api.morfx.app/"));
        Assert.That(settings.Get<ShopifyAdminOptions>().WebhookIngestBaseUrl, Is.EqualTo("https://api.morfx.app"));
    }

    [TestCase("TestSms:PermitLimit", "0", "PermitLimit")]
    [TestCase("TestSms:TimeoutSeconds", "0", "TimeoutSeconds")]
    [TestCase("TestSms:WindowMinutes", "0", "WindowMinutes")]
    [TestCase("Shopify:AdminBaseUrl", "ftp://shopify.example", "Shopify:AdminBaseUrl must be an absolute http(s) URL")]
    [TestCase("PublicUrls:WebhookIngest", "api.morfx.app", "PublicUrls:WebhookIngest must be an absolute http(s) URL")]
    public void A_bad_value_stops_start_up_naming_it(string key, string value, string named)
    {
        using var settings = Configure((key, value));
        var failure = settings.StartupFailure();
        TestContext.Out.WriteLine($"{key}={value}: {failure}");
        Assert.That(failure, Does.Contain(named));
    }
}
