using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NUnit.Framework;
using static MorfX.ConfigApi.Tests.ConfigApiFixture;

namespace MorfX.ConfigApi.Tests;

/// <summary>
/// A Shopify domain is reserved for a workspace only once the Admin API says the access token is that shop's: an admin
/// cannot squat another merchant's *.myshopify.com with a bogus or borrowed token, and a refused attempt reserves nothing.
/// </summary>
public class ShopOwnershipTests
{
    const string Path = "/api/integrations/shopify";

    [TearDown]
    public void ReportLogs() => ReportLogsIfFailed();

    static string NewDomain() => $"tienda-{Guid.NewGuid():N}"[..20] + ".myshopify.com";
    static string NewToken() => "shpat_" + Guid.NewGuid().ToString("N");

    async Task RegisterAsync(string domain, string token)
    {
        using var client = ShopifyAdmin.CreateClient();
        using var response = await client.PostAsJsonAsync("/_emulator/shops", new { shopDomain = domain, accessToken = token });
        Assert.That(response.IsSuccessStatusCode, Is.True);
    }

    async Task<HttpResponseMessage> ClaimAsync(Guid workspace, string domain, string token)
    {
        using var client = Client(workspace);
        return await client.PutJson(Path, new { shopDomain = domain, accessToken = token, clientSecret = "shpss_" + Guid.NewGuid().ToString("N") });
    }

    /// <summary>Nothing of the attempt anywhere: not in the workspace, not in the look-up, no subscription at Shopify, no announcement.</summary>
    async Task AssertNothingReservedAsync(Guid workspace, string domain, string token)
    {
        using var client = Client(workspace);
        Assert.That((await client.GetJson(Path)).GetProperty("configured").GetBoolean(), Is.False, "the workspace has no shop");
        using var internalClient = InternalClient();
        using var lookUp = await internalClient.GetAsync($"/internal/shopify/shops/{domain}");
        Assert.That(lookUp.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "webhook-ingest would not find the shop");
        using var shopify = ShopifyAdmin.CreateClient();
        var subscriptions = await shopify.GetFromJsonAsync<List<JsonElement>>("/_emulator/subscriptions");
        Assert.That(subscriptions!.Where(s => s.Str("token") == "****" + token[^4..]), Is.Empty, "no webhook subscribed");
        Assert.That(Changes(workspace), Is.Empty, "no IntegrationChanged");
    }

    [Test]
    public async Task A_token_of_another_shop_reserves_nothing_and_the_real_owner_connects_the_shop_afterwards()
    {
        var (victim, squatter, owner) = (NewDomain(), Guid.NewGuid(), Guid.NewGuid());
        var squatterShop = NewDomain();
        var squatterToken = NewToken();
        await RegisterAsync(squatterShop, squatterToken);

        using var claim = await ClaimAsync(squatter, victim, squatterToken);

        Assert.That(claim.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), await claim.Content.ReadAsStringAsync());
        var problem = await claim.Json();
        Assert.That(problem.Code(), Is.EqualTo("shop_ownership_not_confirmed"));
        Assert.That(problem.Str("detail"), Does.Contain(victim).And.Contain("No se guardó nada"));
        await AssertNothingReservedAsync(squatter, victim, squatterToken);

        var ownerToken = NewToken();
        await RegisterAsync(victim, ownerToken);
        using var connected = await ClaimAsync(owner, victim, ownerToken);
        Assert.That(connected.StatusCode, Is.EqualTo(HttpStatusCode.OK), await connected.Content.ReadAsStringAsync());
        Assert.That((await connected.Json()).Str("status"), Is.EqualTo("active"));
    }

    [Test]
    public async Task A_token_shopify_does_not_know_reserves_nothing()
    {
        var (domain, workspace, token) = (NewDomain(), Guid.NewGuid(), NewToken());

        using var claim = await ClaimAsync(workspace, domain, token);

        Assert.That(claim.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), await claim.Content.ReadAsStringAsync());
        Assert.That((await claim.Json()).Code(), Is.EqualTo("shop_ownership_not_confirmed"));
        await AssertNothingReservedAsync(workspace, domain, token);
    }

    [Test]
    public async Task When_shopify_cannot_answer_the_claim_is_refused_with_502_and_nothing_is_reserved()
    {
        var (domain, workspace, token) = (NewDomain(), Guid.NewGuid(), NewToken());
        await RegisterAsync(domain, token);
        using (var shopify = ShopifyAdmin.CreateClient())
            await shopify.PostAsJsonAsync("/_emulator/faults", new { kind = "server_error", accessToken = token, times = 3 });

        using var claim = await ClaimAsync(workspace, domain, token);

        Assert.That(claim.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway), await claim.Content.ReadAsStringAsync());
        Assert.That((await claim.Json()).Code(), Is.EqualTo("shopify_unavailable"));
        await AssertNothingReservedAsync(workspace, domain, token);
    }

    [Test]
    public async Task Replacing_the_token_of_a_connected_shop_with_another_shops_token_is_refused_and_the_shop_stays_as_it_was()
    {
        var (domain, workspace, token) = (NewDomain(), Guid.NewGuid(), NewToken());
        await RegisterAsync(domain, token);
        using (var first = await ClaimAsync(workspace, domain, token))
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        var otherToken = NewToken();
        await RegisterAsync(NewDomain(), otherToken);

        using var client = Client(workspace);
        using var swap = await client.PutJson(Path, new { shopDomain = domain, accessToken = otherToken });

        Assert.That(swap.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), await swap.Content.ReadAsStringAsync());
        var shown = await client.GetJson(Path);
        Assert.That(shown.Str("accessToken"), Is.EqualTo("****" + token[^4..]), "the stored token is unchanged");
        Assert.That(shown.Str("status"), Is.EqualTo("active"));
    }
}
