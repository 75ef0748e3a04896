using System.Text;
using MorfX.ServiceDefaults.Messaging;
using NUnit.Framework;

namespace MorfX.Foundation.Tests;

/// <summary>The rules every service relies on, checked against the published values in PROTOCOLS.md.</summary>
public class SharedRulesTests
{
    static readonly KeyValuePair<string, string>[] TwilioVectorParams =
    [
        new("CallSid", "CA1234567890ABCDE"), new("Caller", "+14158675309"), new("Digits", "1234"),
        new("From", "+14158675309"), new("To", "+18005551212"),
    ];

    [Test]
    public void Shopify_hmac_matches_the_published_check_value()
    {
        var body = Encoding.UTF8.GetBytes("{}");

        Assert.That(WebhookSignatures.ShopifyHmac(body, "API_SECRET_KEY"), Is.EqualTo("+ihUB5l+D7QrohDEi/6NcBcJRyKssyWqos13LmnsBbs="));
        Assert.That(WebhookSignatures.VerifyShopify(body, "+ihUB5l+D7QrohDEi/6NcBcJRyKssyWqos13LmnsBbs=", "API_SECRET_KEY"), Is.True);
    }

    [Test]
    public void Shopify_hmac_accepts_the_previous_secret_and_refuses_a_tampered_body()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":1}");
        var signedWithOld = WebhookSignatures.ShopifyHmac(body, "old-secret");

        Assert.That(WebhookSignatures.VerifyShopify(body, signedWithOld, "new-secret", "old-secret"), Is.True);
        Assert.That(WebhookSignatures.VerifyShopify(body, signedWithOld, "new-secret", null), Is.False);
        Assert.That(WebhookSignatures.VerifyShopify(Encoding.UTF8.GetBytes("{\"id\":2}"), signedWithOld, "old-secret"), Is.False);
        Assert.That(WebhookSignatures.VerifyShopify(body, "not base64!", "old-secret"), Is.False);
        Assert.That(WebhookSignatures.VerifyShopify(body, null, "old-secret"), Is.False);
    }

    // webhook-ingest checks with Twilio's own validator; our signer (emulator, tests) must agree with it.
    static readonly Twilio.Security.RequestValidator TwilioValidator = new("12345");

    [Test]
    public void Twilio_signature_matches_the_published_vector()
    {
        const string url = "https://mycompany.com/myapp.php?foo=1&bar=2";

        Assert.That(WebhookSignatures.TwilioSignature(url, TwilioVectorParams, "12345"), Is.EqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.That(TwilioValidator.Validate(url, TwilioVectorParams.ToDictionary(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="), Is.True);
    }

    [Test]
    public void Twilio_signature_accepts_the_default_port_variant_and_refuses_a_tampered_parameter()
    {
        // Twilio may sign the URL with the default port our public base URL leaves out.
        var signedWithPort = WebhookSignatures.TwilioSignature("https://mycompany.com:443/myapp.php?foo=1&bar=2", TwilioVectorParams, "12345");
        Assert.That(TwilioValidator.Validate("https://mycompany.com/myapp.php?foo=1&bar=2", TwilioVectorParams.ToDictionary(), signedWithPort), Is.True);

        var tampered = TwilioVectorParams.Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "9999") : p);
        Assert.That(TwilioValidator.Validate("https://mycompany.com/myapp.php?foo=1&bar=2", tampered.ToDictionary(),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="), Is.False);
    }

    [TestCase("+1(502)-459-2181", "US", "+15024592181")]
    [TestCase("555-625-1199", "US", "+15556251199")]
    [TestCase("300 123 4567", "CO", "+573001234567")]
    [TestCase("+57 300 123 4567", "US", "+573001234567")]
    [TestCase("0057 3001234567", "US", "+573001234567")]
    [TestCase("573001234567", "CO", "+573001234567")]
    [TestCase("1 502 459 2181", "US", "+15024592181")]
    public void Messy_phones_become_e164_with_the_default_country(string raw, string country, string expected) =>
        Assert.That(PhoneNumbers.Normalize(raw, country), Is.EqualTo(expected));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("n/a")]
    [TestCase("12")]
    [TestCase("+0123456789")]
    [TestCase("+1234567890123456789")]
    public void Absurd_phones_are_not_numbers(string? raw) => Assert.That(PhoneNumbers.Normalize(raw, "CO"), Is.Null);

    [Test]
    public void Logged_phones_keep_only_the_prefix_and_last_four_digits() =>
        Assert.That(PhoneNumbers.Redact("+573001234567"), Is.EqualTo("+57******4567"));

    [TestCase("Hola Ana, tu orden #1001 va en camino", "GSM-7", 1)]
    [TestCase("Hola María, recibimos tu orden", "UCS-2", 1)]
    // GSM 03.38 has é ñ ¿ ¡ in its basic set (PROTOCOLS.md lists ¿ ¡ as outside it; the standard and Twilio say otherwise).
    [TestCase("¡Hola José! ¿Tu señal?", "GSM-7", 1)]
    [TestCase("¿Llegó tu pedido?", "UCS-2", 1)]
    public void Segments_and_encoding_follow_twilio(string body, string encoding, int segments) =>
        Assert.That(SmsSegments.Calculate(body), Is.EqualTo((encoding, segments)));

    [Test]
    public void Segment_boundaries_are_160_and_153_for_gsm_and_70_and_67_for_ucs2()
    {
        Assert.That(SmsSegments.Calculate(new string('a', 160)), Is.EqualTo(("GSM-7", 1)));
        Assert.That(SmsSegments.Calculate(new string('a', 161)), Is.EqualTo(("GSM-7", 2)));
        Assert.That(SmsSegments.Calculate(new string('a', 306)), Is.EqualTo(("GSM-7", 2)));
        Assert.That(SmsSegments.Calculate(new string('a', 307)), Is.EqualTo(("GSM-7", 3)));
        Assert.That(SmsSegments.Calculate(new string('€', 80)), Is.EqualTo(("GSM-7", 1)), "extension characters count twice");
        Assert.That(SmsSegments.Calculate(new string('á', 70)), Is.EqualTo(("UCS-2", 1)));
        Assert.That(SmsSegments.Calculate(new string('á', 71)), Is.EqualTo(("UCS-2", 2)));
        Assert.That(SmsSegments.Calculate(new string('á', 135)), Is.EqualTo(("UCS-2", 3)));
    }

    [Test]
    public void Secrets_are_masked_to_their_last_four_characters()
    {
        Assert.That(Secrets.Mask("f2c9a1b0d8e7c6b5a4f3e2d1c0b9a8f7"), Is.EqualTo("****a8f7"));
        Assert.That(Secrets.Mask("short"), Is.EqualTo("****"), "a short secret shows nothing of itself");
        Assert.That(Secrets.IsMasked("****a8f7"), Is.True);
        Assert.That(Secrets.IsMasked("f2c9a1b0"), Is.False);
    }
}
