using MorfX.ServiceDefaults;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>What stops a service from starting with settings that could not check a token.</summary>
public class AuthOptionsTests
{
    const string Key = "a-signing-key-of-at-least-32-bytes!";

    [Test]
    public void A_shared_key_of_32_bytes_or_an_authority_is_enough()
    {
        Assert.That(new AuthOptions { SigningKey = Key }.Problems(), Is.Empty);
        Assert.That(new AuthOptions { Authority = "https://login.morfx.example" }.Problems(), Is.Empty);
    }

    [Test]
    public void Neither_a_key_nor_an_authority_names_both_keys() =>
        Assert.That(new AuthOptions().Problems().Single(), Does.Contain("Auth:SigningKey").And.Contain("Auth:Authority"));

    [Test]
    public void A_short_key_is_refused() =>
        Assert.That(new AuthOptions { SigningKey = "short" }.Problems().Single(), Does.Contain("32 bytes"));

    [TestCase("login.morfx.example")]
    [TestCase("ftp://login.morfx.example")]
    public void An_authority_must_be_an_http_url(string authority) =>
        Assert.That(new AuthOptions { Authority = authority }.Problems().Single(), Does.Contain("Auth:Authority"));

    [Test]
    public void A_token_lifetime_cap_must_be_positive() =>
        Assert.That(new AuthOptions { SigningKey = Key, MaxTokenLifetimeMinutes = 0 }.Problems().Single(),
            Does.Contain("Auth:MaxTokenLifetimeMinutes"));

    [Test]
    public void The_algorithm_follows_the_way_keys_are_found_unless_pinned()
    {
        Assert.That(new AuthOptions { SigningKey = Key }.AlgorithmList, Is.EqualTo(new[] { "HS256" }));
        Assert.That(new AuthOptions { Authority = "https://id.example" }.AlgorithmList, Is.EqualTo(new[] { "RS256" }));
        Assert.That(new AuthOptions { Authority = "https://id.example", Algorithms = "RS256, ES256" }.AlgorithmList,
            Is.EqualTo(new[] { "RS256", "ES256" }));
    }
}
