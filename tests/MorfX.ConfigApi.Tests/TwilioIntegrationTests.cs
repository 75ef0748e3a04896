using System.Net;
using System.Net.Http.Json;
using MassTransit;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using Npgsql;
using NUnit.Framework;
using static MorfX.ConfigApi.Tests.ConfigApiFixture;

namespace MorfX.ConfigApi.Tests;

public class TwilioIntegrationTests
{
    const string Path = "/api/integrations/twilio";
    static readonly string AccountSid = "AC" + new string('a', 16) + new string('0', 16);

    [TearDown]
    public void ReportLogs() => ReportLogsIfFailed();

    static string NewToken() => Guid.NewGuid().ToString("N");

    async Task<(Guid Workspace, string Token)> SavedTwilioAsync(string phone = "+15005550006")
    {
        var workspace = Guid.NewGuid();
        var token = NewToken();
        using var client = Client(workspace);
        using var response = await client.PutJson(Path, new { accountSid = AccountSid, authToken = token, phoneNumber = phone });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (workspace, token);
    }

    [Test]
    public async Task Saved_settings_come_back_with_the_token_masked()
    {
        var (workspace, token) = await SavedTwilioAsync();
        using var client = Client(workspace, Roles.Agent);

        var twilio = await client.GetJson(Path);

        Assert.That(twilio.GetProperty("configured").GetBoolean(), Is.True);
        Assert.That(twilio.Str("accountSid"), Is.EqualTo(AccountSid));
        Assert.That(twilio.Str("authToken"), Is.EqualTo("****" + token[^4..]));
        Assert.That(twilio.Str("phoneNumber"), Is.EqualTo("+15005550006"));
        Assert.That(twilio.Str("status"), Is.EqualTo("active"));
        Assert.That(twilio.GetRawText(), Does.Not.Contain(token));
    }

    [Test]
    public async Task A_save_without_the_token_or_with_the_masked_token_keeps_the_stored_one()
    {
        var (workspace, token) = await SavedTwilioAsync();
        using var client = Client(workspace, Roles.Admin);

        using var numberOnly = await client.PutJson(Path, new { accountSid = AccountSid, phoneNumber = "+573001234567" });
        using var masked = await client.PutJson(Path, new { accountSid = AccountSid, authToken = "****" + token[^4..], phoneNumber = "+573001234568" });

        Assert.That(numberOnly.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(masked.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var internalClient = InternalClient();
        var credentials = await internalClient.GetJson($"/internal/twilio/{workspace}");
        Assert.That(credentials.Str("authToken"), Is.EqualTo(token));
        Assert.That(credentials.Str("fromNumber"), Is.EqualTo("+573001234568"));
    }

    [Test]
    public async Task A_first_save_without_a_token_is_a_validation_error()
    {
        using var client = Client(Guid.NewGuid());

        using var response = await client.PutJson(Path, new { accountSid = AccountSid, phoneNumber = "+15005550006" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Json();
        Assert.That(problem.Code(), Is.EqualTo("validation_failed"));
        Assert.That(problem.FieldErrors(), Is.EqualTo(new[] { "authToken:required" }));
    }

    [Test]
    public async Task Bad_account_sid_and_phone_number_come_back_as_field_errors_with_codes_and_spanish_details()
    {
        using var client = Client(Guid.NewGuid());

        using var response = await client.PutJson(Path, new { accountSid = "AC123", authToken = "x", phoneNumber = "3001234567" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Json();
        Assert.That(problem.FieldErrors(), Is.EquivalentTo(new[] { "accountSid:invalid_account_sid", "phoneNumber:invalid_phone" }));
        Assert.That(problem.Str("detail"), Does.Contain("E.164"));
    }

    [Test]
    public async Task Owner_and_admin_may_change_twilio_but_an_agent_only_reads()
    {
        var (workspace, _) = await SavedTwilioAsync();
        using var agent = Client(workspace, Roles.Agent);
        using var admin = Client(workspace, Roles.Admin);

        using var agentPut = await agent.PutJson(Path, new { accountSid = AccountSid, authToken = NewToken(), phoneNumber = "+15005550006" });
        using var agentDelete = await agent.DeleteAsync(Path);
        using var agentTest = await agent.PostAsJsonAsync(Path + "/test", new { phoneNumber = "+573001234567" });
        using var agentRead = await agent.GetAsync(Path);
        using var adminPut = await admin.PutJson(Path, new { accountSid = AccountSid, phoneNumber = "+15005550007" });

        Assert.That(agentPut.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await agentPut.Json()).Code(), Is.EqualTo("forbidden"));
        Assert.That(agentDelete.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(agentTest.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(agentRead.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(adminPut.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Another_workspace_never_sees_or_removes_the_settings()
    {
        var (workspace, _) = await SavedTwilioAsync();
        using var stranger = Client(Guid.NewGuid());

        var seen = await stranger.GetJson(Path);
        using var delete = await stranger.DeleteAsync(Path);

        Assert.That(seen.GetProperty("configured").GetBoolean(), Is.False);
        Assert.That(seen.Str("accountSid"), Is.Null);
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await delete.Json()).Code(), Is.EqualTo("twilio_not_configured"));
        using var owner = Client(workspace);
        Assert.That((await owner.GetJson(Path)).GetProperty("configured").GetBoolean(), Is.True);
    }

    [Test]
    public async Task The_stored_token_is_unreadable_in_the_database_row()
    {
        var (workspace, token) = await SavedTwilioAsync();

        await using var connection = await OpenDatabaseAsync();
        await using var query = new NpgsqlCommand("SELECT t::text FROM twilio_integrations t WHERE workspace_id = @id", connection);
        query.Parameters.AddWithValue("id", workspace);
        var row = (string?)await query.ExecuteScalarAsync();

        Assert.That(row, Is.Not.Null);
        Assert.That(row, Does.Contain(AccountSid));
        Assert.That(row, Does.Not.Contain(token));
        Assert.That(row, Does.Not.Contain(token[..12]));
    }

    [Test]
    public async Task The_internal_look_up_needs_the_service_key_and_returns_the_secret()
    {
        var (workspace, token) = await SavedTwilioAsync();
        using var noKey = InternalClient(null);
        using var wrongKey = InternalClient("not-the-key");
        using var withKey = InternalClient();

        using var refusedWithout = await noKey.GetAsync($"/internal/twilio/{workspace}");
        using var refusedWrong = await wrongKey.GetAsync($"/internal/twilio/{workspace}");
        var credentials = await withKey.GetJson($"/internal/twilio/{workspace}");
        using var unknown = await withKey.GetAsync($"/internal/twilio/{Guid.NewGuid()}");

        Assert.That(refusedWithout.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(refusedWrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(credentials.Str("workspaceId"), Is.EqualTo(workspace.ToString()));
        Assert.That(credentials.Str("accountSid"), Is.EqualTo(AccountSid));
        Assert.That(credentials.Str("authToken"), Is.EqualTo(token));
        Assert.That(credentials.Str("fromNumber"), Is.EqualTo("+15005550006"));
        Assert.That(credentials.Str("status"), Is.EqualTo("active"));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Saving_and_removing_are_announced_without_secrets_and_removal_hides_the_credentials()
    {
        var (workspace, _) = await SavedTwilioAsync();
        var saved = await ChangeAsync(workspace, c => c.Status == IntegrationStatuses.Active, "IntegrationChanged(active)");
        using var client = Client(workspace);

        using var delete = await client.DeleteAsync(Path);

        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(saved.Integration, Is.EqualTo(IntegrationKinds.Twilio));
        var removed = await ChangeAsync(workspace, c => c.Status == IntegrationStatuses.Removed, "IntegrationChanged(removed)");
        Assert.That(removed.Integration, Is.EqualTo(IntegrationKinds.Twilio));
        using var internalClient = InternalClient();
        using var lookUp = await internalClient.GetAsync($"/internal/twilio/{workspace}");
        Assert.That(lookUp.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await client.GetJson(Path)).GetProperty("configured").GetBoolean(), Is.False);
    }

    [Test]
    public async Task Credentials_rejected_by_twilio_mark_the_integration_failing_and_are_announced()
    {
        var (workspace, _) = await SavedTwilioAsync();
        using var client = Client(workspace);

        await Events.Bus.Publish(new TwilioCredentialsRejected(workspace, 20003, DateTimeOffset.UtcNow));

        var failing = await ChangeAsync(workspace, c => c.Status == IntegrationStatuses.Failing, "IntegrationChanged(failing)");
        Assert.That(failing.Integration, Is.EqualTo(IntegrationKinds.Twilio));
        Assert.That((await client.GetJson(Path)).Str("status"), Is.EqualTo("failing"));
        var summary = await client.GetJson("/api/integrations");
        Assert.That(summary.GetProperty("twilio").Str("status"), Is.EqualTo("failing"));
        Assert.That(summary.GetProperty("twilio").GetProperty("missing").EnumerateArray().Select(m => m.GetString()), Does.Contain("authToken"));
    }

    [Test]
    public async Task A_refusal_of_the_token_replaced_since_leaves_the_new_one_standing_and_one_of_the_new_token_flags_it()
    {
        var (workspace, oldToken) = await SavedTwilioAsync();
        using var client = Client(workspace);
        var newToken = NewToken();
        using (var rotated = await client.PutJson(Path, new { accountSid = AccountSid, authToken = newToken, phoneNumber = "+15005550006" }))
            Assert.That(rotated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var before = (await client.GetJson(Path)).Str("status");

        // A send that still held the old token (a look-up cached before the rotation) is refused after it.
        await Events.Bus.Publish(new TwilioCredentialsRejected(workspace, 20003, DateTimeOffset.UtcNow.AddSeconds(1), Rules.Secrets.Fingerprint(oldToken)));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That((await client.GetJson(Path)).Str("status"), Is.EqualTo(before), "the new token is not flagged for the old one's refusal");

        await Events.Bus.Publish(new TwilioCredentialsRejected(workspace, 20003, DateTimeOffset.UtcNow.AddSeconds(1), Rules.Secrets.Fingerprint(newToken)));
        await ChangeAsync(workspace, c => c.Status == IntegrationStatuses.Failing, "IntegrationChanged(failing)");
        Assert.That((await client.GetJson(Path)).Str("status"), Is.EqualTo("failing"));
    }

    [Test]
    public async Task The_summary_says_what_is_missing()
    {
        var (workspace, _) = await SavedTwilioAsync();
        using var client = Client(workspace, Roles.Agent);

        var summary = await client.GetJson("/api/integrations");

        Assert.That(summary.GetProperty("twilio").GetProperty("configured").GetBoolean(), Is.True);
        Assert.That(summary.GetProperty("twilio").GetProperty("missing").GetArrayLength(), Is.Zero);
        Assert.That(summary.GetProperty("shopify").GetProperty("configured").GetBoolean(), Is.False);
        Assert.That(summary.GetProperty("shopify").GetProperty("missing").EnumerateArray().Select(m => m.GetString()),
            Is.EquivalentTo(new[] { "shopDomain", "accessToken", "clientSecret" }));
    }

    [Test]
    public async Task A_test_sms_to_a_bad_number_is_a_validation_error_and_without_twilio_it_is_not_configured()
    {
        using var client = Client(Guid.NewGuid());

        using var badNumber = await client.PostAsJsonAsync(Path + "/test", new { phoneNumber = "300 123" });
        using var notConfigured = await client.PostAsJsonAsync(Path + "/test", new { phoneNumber = "+573001234567" });

        Assert.That(badNumber.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await badNumber.Json()).FieldErrors(), Is.EqualTo(new[] { "phoneNumber:invalid_phone" }));
        Assert.That(notConfigured.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await notConfigured.Json()).Code(), Is.EqualTo("twilio_not_configured"));
    }

    [Test]
    public async Task A_test_sms_that_sms_sender_does_not_answer_times_out_with_a_spanish_problem()
    {
        // No sms-sender runs in this fixture, so nobody answers the request.
        var (workspace, _) = await SavedTwilioAsync();
        using var client = Client(workspace);

        using var response = await client.PostAsJsonAsync(Path + "/test", new { phoneNumber = "+573001234567" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout));
        var problem = await response.Json();
        Assert.That(problem.Code(), Is.EqualTo("sms_sender_timeout"));
        Assert.That(problem.Str("detail"), Does.Contain("no respondió"));
    }

    [Test]
    public async Task Test_sms_is_rate_limited_per_workspace()
    {
        using var client = Client(Guid.NewGuid());
        using var other = Client(Guid.NewGuid());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.PostAsJsonAsync(Path + "/test", new { phoneNumber = "bad" });
            statuses.Add(response.StatusCode);
            if (i < 5) continue;
            Assert.That((await response.Json()).Code(), Is.EqualTo("rate_limited"));
            Assert.That(response.Headers.RetryAfter, Is.Not.Null, "Retry-After tells the frontend when to offer the test again");
        }
        using var otherWorkspace = await other.PostAsJsonAsync(Path + "/test", new { phoneNumber = "bad" });

        Assert.That(statuses.Take(5), Is.All.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(statuses[5], Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(otherWorkspace.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task The_auth_token_is_never_logged()
    {
        var (workspace, token) = await SavedTwilioAsync();
        using var client = Client(workspace);
        using var internalClient = InternalClient();

        await client.PutJson(Path, new { accountSid = AccountSid, authToken = token + "x", phoneNumber = "+15005550006" });
        await client.GetJson(Path);
        await internalClient.GetJson($"/internal/twilio/{workspace}");
        using var _ = await client.PostAsJsonAsync(Path + "/test", new { phoneNumber = "+573001234567" });

        Assert.That(Logs.Lines, Is.Not.Empty);
        Assert.That(Logs.Lines, Has.None.Contains(token));
        Assert.That(Logs.Lines, Has.None.Contains("+573001234567"), "full phone numbers are redacted in logs");
    }
}
