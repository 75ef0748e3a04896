using System.Text;
using MorfX.ServiceDefaults.Messaging;
using MorfX.WebhookIngest.Shopify;
using NUnit.Framework;
using Twilio.Security;

namespace MorfX.WebhookIngest.Tests;

/// <summary>The published check values (PROTOCOLS.md), so the signature code is proven against Shopify's and Twilio's own numbers.</summary>
public sealed class SignatureVectorTests
{
    static readonly Dictionary<string, string> TwilioVectorParams = new()
    {
        ["CallSid"] = "CA1234567890ABCDE",
        ["Caller"] = "+14158675309",
        ["Digits"] = "1234",
        ["From"] = "+14158675309",
        ["To"] = "+18005551212",
    };

    [Test]
    public void Twilio_published_vector_validates()
    {
        Assert.That(new RequestValidator("12345").Validate(
            "https://mycompany.com/myapp.php?foo=1&bar=2", TwilioVectorParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), Is.True);
    }

    [Test]
    public void Twilio_vector_with_a_tampered_parameter_does_not_validate()
    {
        var tampered = new Dictionary<string, string>(TwilioVectorParams) { ["Digits"] = "1235" };
        Assert.That(new RequestValidator("12345").Validate(
            "https://mycompany.com/myapp.php?foo=1&bar=2", tampered, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), Is.False);
    }

    [Test]
    public void Shopify_check_value_matches()
    {
        var body = Encoding.UTF8.GetBytes("{}");
        Assert.That(WebhookSignatures.ShopifyHmac(body, "API_SECRET_KEY"), Is.EqualTo("+ihUB5l+D7QrohDEi/6NcBcJRyKssyWqos13LmnsBbs="));
        Assert.That(WebhookSignatures.VerifyShopify(body, "+ihUB5l+D7QrohDEi/6NcBcJRyKssyWqos13LmnsBbs=", "other", "API_SECRET_KEY"), Is.True);
    }

    [Test]
    public void Event_id_is_a_name_based_uuid_that_is_the_same_for_a_redelivery()
    {
        var id = WebhookEventIds.ForShopify("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043");
        Assert.That(WebhookEventIds.ForShopify("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"), Is.EqualTo(id));
        Assert.That(WebhookEventIds.ForShopify("another-delivery"), Is.Not.EqualTo(id));
        Assert.That(id.Version, Is.EqualTo(5));
        // Python: uuid.uuid5(uuid.NAMESPACE_URL, "shopify:b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
        Assert.That(id, Is.EqualTo(Guid.Parse(ExpectedUuid5)));
    }

    const string ExpectedUuid5 = "9256e17b-17ed-5069-8065-8be47806d588";
}
