using MorfX.Rules;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>The one masking function (secrets in responses) and the one phone redaction (phones in logs).</summary>
public class SecretsTests
{
    [Test]
    public void Secrets_are_masked_to_their_last_four_characters()
    {
        Assert.That(Secrets.Mask("f2c9a1b0d8e7c6b5a4f3e2d1c0b9a8f7"), Is.EqualTo("****a8f7"));
        Assert.That(Secrets.Mask("short"), Is.EqualTo("****"), "a short secret shows nothing of itself");
        Assert.That(Secrets.Mask("12345678"), Is.EqualTo("****"), "eight characters would reveal half of it");
        Assert.That(Secrets.Mask(null), Is.Empty, "nothing stored, nothing shown");
    }

    [Test]
    public void A_masked_value_sent_back_is_recognised_so_the_stored_secret_is_kept()
    {
        Assert.That(Secrets.IsMasked(Secrets.Mask("f2c9a1b0d8e7c6b5a4f3e2d1c0b9a8f7")), Is.True);
        Assert.That(Secrets.IsMasked("f2c9a1b0"), Is.False);
        Assert.That(Secrets.IsMasked(null), Is.False);
    }

    [Test]
    public void Logged_phones_keep_only_the_prefix_and_last_four_digits()
    {
        Assert.That(PhoneNumbers.Redact("+573001234567"), Is.EqualTo("+57******4567"));
        Assert.That(PhoneNumbers.Redact("+15024592181"), Does.Not.Contain("502459"));
        Assert.That(PhoneNumbers.Redact("+1234"), Is.EqualTo("****"), "too short to show any of it");
        Assert.That(PhoneNumbers.Redact(null), Is.EqualTo("****"));
    }
}
