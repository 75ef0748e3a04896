using System.Diagnostics;
using System.Net.Http.Json;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.EndToEnd.Tests;

/// <summary>
/// The frontend's contract: a TypeScript client generated from each service's live OpenAPI document (openapi-typescript)
/// compiles with the flows program (tsc, strict) and runs the seed's flows against the running system (tests/client-ts).
/// </summary>
[Parallelizable]
public class TypeScriptClientTests
{
    static SystemFixture System => TestRun.System;

    [Test]
    public async Task A_client_generated_from_the_live_documents_runs_the_seed_flows_with_typed_errors()
    {
        var workspace = Guid.NewGuid();
        // The merchant's own Twilio account and Shopify store, at the emulators.
        var (accountSid, authToken) = ("AC" + Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
        var (shopDomain, shopToken) = ($"client-ts-{workspace.ToString("N")[..10]}.myshopify.com", "shpat_" + Guid.NewGuid().ToString("N"));
        using (var twilio = System.Twilio.CreateClient())
            (await twilio.PostAsJsonAsync("/_emulator/accounts", new { accountSid, authToken })).EnsureSuccessStatusCode();
        using (var shopify = System.Shopify.CreateClient())
            (await shopify.PostAsJsonAsync("/_emulator/shops", new { shopDomain, accessToken = shopToken })).EnsureSuccessStatusCode();
        var script = Path.Combine(TestContext.CurrentContext.TestDirectory, "../../../../client-ts/run.sh");
        var start = new ProcessStartInfo("bash", [Path.GetFullPath(script), "flows"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["MORFX_CONFIG_URL"] = System.ConfigApi.BaseAddress.ToString();
        start.Environment["MORFX_ENGINE_URL"] = System.Engine.BaseAddress.ToString();
        start.Environment["MORFX_USAGE_URL"] = System.Usage.BaseAddress.ToString();
        start.Environment["MORFX_TOKEN"] = Tokens.For(workspace, Roles.Owner);
        start.Environment["MORFX_RUN_ID"] = workspace.ToString("N");
        start.Environment["MORFX_TWILIO_ACCOUNT_SID"] = accountSid;
        start.Environment["MORFX_TWILIO_AUTH_TOKEN"] = authToken;
        start.Environment["MORFX_SHOP_DOMAIN"] = shopDomain;
        start.Environment["MORFX_SHOP_ACCESS_TOKEN"] = shopToken;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);

        var printed = await output;
        Assert.That(process.ExitCode, Is.EqualTo(0), printed + await errors);
        Assert.That(printed, Does.Contain("twilio not configured yet").And.Contain("automation refused before the integrations")
            .And.Contain("twilio saved").And.Contain("twilio read masked: ****").And.Contain("twilio tested: SM")
            .And.Contain("auto-sync off").And.Contain("auto-sync on").And.Contain("automation created: Confirmación de pedido (enabled)")
            .And.Contain("usage: ").And.Contain("recent messages: ").And.Contain("chart: 7 days").And.Contain("chart refused: invalid_period")
            .And.Contain("flows ok"));
    }
}
