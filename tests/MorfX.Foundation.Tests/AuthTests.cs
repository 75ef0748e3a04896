using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.Foundation.Tests;

/// <summary>
/// Deny by default and strict bearer tokens, on a bare service built the way every MorfX service is (service defaults, then its own endpoints), with one
/// endpoint that says nothing about authorization: what a new endpoint would be on the day someone forgets.
/// </summary>
public class AuthTests
{
    const string ProbePath = "/api/probe";
    static readonly Guid Workspace = Guid.NewGuid();

    static Task<RunningService> StartProbeAsync(Dictionary<string, string?> settings) => RunningService.StartAsync(
        (args, configure) =>
        {
            var builder = WebApplication.CreateBuilder(ServiceHost.Options(args, typeof(AuthTests).Assembly));
            configure?.Invoke(builder);
            builder.AddServiceDefaults("auth-probe");
            var app = builder.Build();
            app.UseServiceDefaults();
            app.MapDefaultEndpoints();
            app.MapGet(ProbePath, (ClaimsPrincipal user) => user.WorkspaceIdOf().ToString());
            return app;
        },
        settings);

    static async Task<HttpStatusCode> CallAsync(RunningService service, string? token)
    {
        using var client = service.CreateClient(token);
        using var response = await client.GetAsync(ProbePath);
        return response.StatusCode;
    }

    static string Token(SigningCredentials credentials, string issuer = JwtParameters.DefaultIssuer, TimeSpan? lifetime = null, DateTime? issuedAt = null)
    {
        var now = issuedAt ?? DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = JwtParameters.DefaultAudience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromHours(1)),
            SigningCredentials = credentials,
            Subject = new ClaimsIdentity([new(MorfXClaims.Subject, "user-1"), new(MorfXClaims.WorkspaceId, Workspace.ToString()), new(MorfXClaims.Role, Roles.Agent)]),
        });
    }

    // 64 bytes, so the same key can also sign HS512 (a token an attacker could make only with the key, but with another algorithm).
    const string SigningKey = "morfx-auth-tests-signing-key-0123456789abcdef-0123456789abcdef-xy";

    static SigningCredentials SharedKey(string algorithm = SecurityAlgorithms.HmacSha256) =>
        new(new JwtParameters("", "", SigningKey).Key, algorithm);

    static Dictionary<string, string?> SharedKeySettings() => new() { ["Auth:SigningKey"] = SigningKey };

    [Test]
    public async Task An_endpoint_that_names_no_policy_is_closed_to_anonymous_callers_and_open_to_a_workspace_member()
    {
        await using var service = await StartProbeAsync(SharedKeySettings());

        Assert.That(await CallAsync(service, null), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await CallAsync(service, Token(SharedKey())), Is.EqualTo(HttpStatusCode.OK));
        using var client = service.CreateClient();
        Assert.That((await client.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "health says AllowAnonymous");
    }

    [Test]
    public void Every_anonymous_endpoint_of_the_five_services_is_one_that_must_be()
    {
        string[] expected =
        [
            "/alive", "/health", "/openapi/{documentName}.json",
            "/internal/shopify/shops/{shopDomain}", "/internal/twilio/{workspaceId:guid}", "/internal/integration-changes", "/internal/integration-keys",
            "/webhooks/shopify", "/webhooks/twilio/inbound/{workspaceId}", "/webhooks/twilio/status/{workspaceId}",
        ];
        var anonymous = new SortedSet<string>();
        foreach (var service in ServiceUnderTest.All())
        {
            var app = service.Build([], b =>
            {
                b.Environment.EnvironmentName = "Testing";
                b.Configuration.AddInMemoryCollection(TestInfrastructure.ServiceSettings(service.Database));
            });
            foreach (var endpoint in ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>())
                if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) anonymous.Add(endpoint.RoutePattern.RawText!);
        }
        TestContext.Out.WriteLine("anonymous: " + string.Join(", ", anonymous));
        Assert.That(anonymous, Is.EquivalentTo(expected));
    }

    [Test]
    public async Task Shared_key_tokens_must_use_HS256_and_live_at_most_the_cap()
    {
        var settings = SharedKeySettings();
        settings[AuthExtensions.MaxTokenLifetimeKey] = "120";
        await using var service = await StartProbeAsync(settings);

        var unsigned = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = JwtParameters.DefaultIssuer, Audience = JwtParameters.DefaultAudience, Expires = DateTime.UtcNow.AddMinutes(5),
            Subject = new ClaimsIdentity([new(MorfXClaims.WorkspaceId, Workspace.ToString()), new(MorfXClaims.Role, Roles.Owner)]),
        });
        Assert.Multiple(async () =>
        {
            Assert.That(await CallAsync(service, Token(SharedKey(), lifetime: TimeSpan.FromMinutes(119))), Is.EqualTo(HttpStatusCode.OK), "HS256, 119 min");
            Assert.That(await CallAsync(service, unsigned), Is.EqualTo(HttpStatusCode.Unauthorized), "alg none");
            Assert.That(await CallAsync(service, Token(SharedKey(SecurityAlgorithms.HmacSha512))), Is.EqualTo(HttpStatusCode.Unauthorized), "HS512 with the right key");
            Assert.That(await CallAsync(service, Token(SharedKey(), lifetime: TimeSpan.FromDays(30))), Is.EqualTo(HttpStatusCode.Unauthorized), "valid for 30 days");
            Assert.That(await CallAsync(service, Token(SharedKey(), lifetime: TimeSpan.FromHours(3), issuedAt: DateTime.UtcNow.AddHours(-1))),
                Is.EqualTo(HttpStatusCode.Unauthorized), "issued an hour ago for three hours: over the 2 h cap though only 2 h remain");
            Assert.That(await CallAsync(service, Token(SharedKey(), lifetime: TimeSpan.FromMinutes(10), issuedAt: DateTime.UtcNow.AddMinutes(-20))),
                Is.EqualTo(HttpStatusCode.Unauthorized), "expired");
        });
    }

    [Test]
    public async Task With_an_OIDC_authority_RS256_tokens_are_checked_against_its_JWKS_and_the_shared_key_is_not_needed()
    {
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "morfx-crm-1" };
        await using var authority = await OidcAuthority.StartAsync(key);
        var settings = new Dictionary<string, string?>
        {
            [AuthExtensions.AuthorityKey] = authority.Issuer,
            [AuthExtensions.RequireHttpsMetadataKey] = "false",
        };
        await using var service = await StartProbeAsync(settings);
        var rs256 = new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
        using var otherRsa = RSA.Create(2048);

        Assert.Multiple(async () =>
        {
            Assert.That(await CallAsync(service, Token(rs256, authority.Issuer)), Is.EqualTo(HttpStatusCode.OK), "signed by the authority's key");
            Assert.That(await CallAsync(service, Token(new SigningCredentials(new RsaSecurityKey(otherRsa) { KeyId = "morfx-crm-1" }, SecurityAlgorithms.RsaSha256), authority.Issuer)),
                Is.EqualTo(HttpStatusCode.Unauthorized), "same key id, another key");
            Assert.That(await CallAsync(service, Token(new SigningCredentials(key, SecurityAlgorithms.RsaSsaPssSha256), authority.Issuer)),
                Is.EqualTo(HttpStatusCode.Unauthorized), "the authority's key, but PS256");
            Assert.That(await CallAsync(service, Token(SharedKey(), authority.Issuer)), Is.EqualTo(HttpStatusCode.Unauthorized), "HS256 with the old shared key");
            Assert.That(await CallAsync(service, Token(rs256, "https://someone-else.example")), Is.EqualTo(HttpStatusCode.Unauthorized), "another issuer");
            Assert.That(await CallAsync(service, Token(rs256, authority.Issuer, TimeSpan.FromDays(2))), Is.EqualTo(HttpStatusCode.Unauthorized), "over the 24 h default cap");
        });
        Assert.That(authority.JwksRequests, Is.GreaterThanOrEqualTo(1), "the keys came from the JWKS endpoint");
    }
}
