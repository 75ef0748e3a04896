using MorfX.Rules;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>The one E.164 normaliser: what a merchant's messy phone becomes, with the workspace's default country.</summary>
public class PhoneNumbersTests
{
    [TestCase("+1(502)-459-2181", "US", "+15024592181")]
    [TestCase("555-625-1199", "US", "+15556251199")]
    [TestCase("300 123 4567", "CO", "+573001234567")]
    [TestCase("+57 300 123 4567", "US", "+573001234567")]
    [TestCase("0057 3001234567", "US", "+573001234567")]
    [TestCase("573001234567", "CO", "+573001234567")]
    [TestCase("1 502 459 2181", "US", "+15024592181")]
    [TestCase("07700 900123", "GB", "+447700900123")]
    [TestCase("(55) 1234-5678", "MX", "+525512345678")]
    [TestCase("+57 300 123 4567 x12", "CO", "+573001234567")]
    public void Messy_phones_become_e164_with_the_default_country(string raw, string country, string expected) =>
        Assert.That(PhoneNumbers.Normalize(raw, country), Is.EqualTo(expected));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("n/a")]
    [TestCase("12")]
    [TestCase("+0123456789")]
    [TestCase("+1234567890123456789")]
    [TestCase("555-555-SHIP")]
    public void Absurd_phones_are_not_numbers(string? raw) => Assert.That(PhoneNumbers.Normalize(raw, "CO"), Is.Null);

    [Test]
    public void A_local_number_of_a_country_outside_the_table_is_not_guessed()
    {
        Assert.That(PhoneNumbers.Normalize("3001234567", "ZZ"), Is.Null);
        Assert.That(PhoneNumbers.Normalize("+573001234567", "ZZ"), Is.EqualTo("+573001234567"), "a number in + form needs no country");
    }

    [TestCase("+573001234567", true)]
    [TestCase("573001234567", false)]
    [TestCase("+57 300 123 4567", false)]
    [TestCase("+0573001234567", false)]
    public void Only_plus_then_up_to_15_digits_is_e164(string value, bool expected) =>
        Assert.That(PhoneNumbers.IsE164(value), Is.EqualTo(expected));
}
