using System.Text;
using MorfX.Rules;
using NUnit.Framework;
using Twilio.Security;

namespace MorfX.UnitTests;

/// <summary>Webhook signatures checked against the published values in docs/protocols.md (Shopify's and Twilio's own numbers).</summary>
public class WebhookSignaturesTests
{
    const string TwilioVectorUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const string TwilioVectorSignature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    static readonly KeyValuePair<string, string>[] TwilioVectorParams =
    [
        new("CallSid", "CA1234567890ABCDE"), new("Caller", "+14158675309"), new("Digits", "1234"),
        new("From", "+14158675309"), new("To", "+18005551212"),
    ];

    // webhook-ingest checks with Twilio's own validator; our signer (emulator, tests) must agree with it.
    static readonly RequestValidator TwilioValidator = new("12345");

    [Test]
    public void Shopify_hmac_matches_the_published_check_value()
    {
        var body = Encoding.UTF8.GetBytes("{}");

        Assert.That(WebhookSignatures.ShopifyHmac(body, "API_SECRET_KEY"), Is.EqualTo("+ihUB5l+D7QrohDEi/6NcBcJRyKssyWqos13LmnsBbs="));
        Assert.That(WebhookSignatures.VerifyShopify(body, "+ihUB5l+D7QrohDEi/6NcBcJRyKssyWqos13LmnsBbs=", "other", "API_SECRET_KEY"), Is.True);
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

    [Test]
    public void Twilio_signature_matches_the_published_vector()
    {
        Assert.That(WebhookSignatures.TwilioSignature(TwilioVectorUrl, TwilioVectorParams, "12345"), Is.EqualTo(TwilioVectorSignature));
        Assert.That(TwilioValidator.Validate(TwilioVectorUrl, TwilioVectorParams.ToDictionary(), TwilioVectorSignature), Is.True);
    }

    [Test]
    public void Twilio_signature_accepts_the_default_port_variant_and_refuses_a_tampered_parameter()
    {
        // Twilio may sign the URL with the default port our public base URL leaves out.
        var signedWithPort = WebhookSignatures.TwilioSignature("https://mycompany.com:443/myapp.php?foo=1&bar=2", TwilioVectorParams, "12345");
        Assert.That(TwilioValidator.Validate(TwilioVectorUrl, TwilioVectorParams.ToDictionary(), signedWithPort), Is.True);

        var tampered = TwilioVectorParams.Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "9999") : p);
        Assert.That(TwilioValidator.Validate(TwilioVectorUrl, tampered.ToDictionary(), TwilioVectorSignature), Is.False);
    }

    [Test]
    public void Twilio_signature_does_not_depend_on_the_order_the_parameters_arrive_in() =>
        Assert.That(WebhookSignatures.TwilioSignature(TwilioVectorUrl, Enumerable.Reverse(TwilioVectorParams), "12345"),
            Is.EqualTo(TwilioVectorSignature));
}
