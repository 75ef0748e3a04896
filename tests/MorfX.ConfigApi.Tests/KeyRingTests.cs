using System.Net;
using Microsoft.Extensions.Logging;
using MorfX.ConfigApi;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using Npgsql;
using NUnit.Framework;

namespace MorfX.ConfigApi.Tests;

/// <summary>The Data Protection key ring lives in config-api's database: secrets survive restarts and are shared by instances.</summary>
public class KeyRingTests
{
    /// <summary>
    /// Started and healthy: an instance stopped before its bus has connected can go on consuming this run's queues
    /// (seen here: it took other tests' messages), so each one is given the time to connect first.
    /// </summary>
    static async Task<RunningService> StartAsync(Dictionary<string, string?> settings)
    {
        var service = await RunningService.StartAsync(MorfX.ConfigApi.Program.Build, settings);
        Assert.That(await service.WaitHealthyAsync(), Is.EqualTo("Healthy"));
        return service;
    }

    static readonly string AccountSid = "AC" + new string('b', 32);

    [Test]
    public async Task Secrets_saved_before_a_restart_are_readable_after_it_and_by_a_second_instance()
    {
        var settings = TestInfrastructure.ServiceSettings(ResourceNames.ConfigDb);
        var workspace = Guid.NewGuid();
        var token = Guid.NewGuid().ToString("N");

        await using (var first = await StartAsync(settings))
        {
            using var client = first.CreateClient(Tokens.For(workspace));
            using var saved = await client.PutJson("/api/integrations/twilio", new { accountSid = AccountSid, authToken = token, phoneNumber = "+15005550006" });
            Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await using var restarted = await StartAsync(settings);
        await using var second = await StartAsync(settings);
        foreach (var instance in new[] { restarted, second })
        {
            using var client = instance.CreateClient(Tokens.For(workspace));
            Assert.That((await client.GetJson("/api/integrations/twilio")).Str("authToken"), Is.EqualTo("****" + token[^4..]));
            using var internalClient = instance.InternalClient();
            Assert.That((await internalClient.GetJson($"/internal/twilio/{workspace}")).Str("authToken"), Is.EqualTo(token));
        }

        await using var connection = new NpgsqlConnection(settings[$"ConnectionStrings:{ResourceNames.ConfigDb}"]);
        await connection.OpenAsync();
        await using var keys = new NpgsqlCommand("SELECT count(*) FROM data_protection_keys WHERE xml LIKE '<key %'", connection);
        Assert.That(Convert.ToInt32(await keys.ExecuteScalarAsync()), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task With_a_key_encryption_key_the_key_ring_is_stored_encrypted_and_still_works_after_a_restart()
    {
        // Its own database, so the key ring starts empty and its first key is written encrypted.
        var settings = TestInfrastructure.ServiceSettings(ResourceNames.ConfigDb);
        settings[$"ConnectionStrings:{ResourceNames.ConfigDb}"] = TestInfrastructure.DatabaseConnectionString("configdb_kek");
        settings["DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var workspace = Guid.NewGuid();
        var token = Guid.NewGuid().ToString("N");

        await using (var first = await StartAsync(settings))
        {
            using var client = first.CreateClient(Tokens.For(workspace));
            using var saved = await client.PutJson("/api/integrations/twilio", new { accountSid = AccountSid, authToken = token, phoneNumber = "+15005550006" });
            Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        await using var restarted = await StartAsync(settings);
        using var internalClient = restarted.InternalClient();

        Assert.That((await internalClient.GetJson($"/internal/twilio/{workspace}")).Str("authToken"), Is.EqualTo(token));
        await using var connection = new NpgsqlConnection(settings[$"ConnectionStrings:{ResourceNames.ConfigDb}"]);
        await connection.OpenAsync();
        await using var keys = new NpgsqlCommand("SELECT string_agg(xml, '') FROM data_protection_keys", connection);
        var xml = (string)(await keys.ExecuteScalarAsync())!;
        Assert.That(xml, Does.Contain("<encryptedKey"));
        Assert.That(xml, Does.Not.Contain("<masterKey"), "the key material itself is not readable in the database");
    }

    [Test]
    public void In_production_config_api_refuses_to_start_with_an_unprotected_key_ring()
    {
        var settings = TestInfrastructure.ServiceSettings(ResourceNames.ConfigDb);

        var error = Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var _ = await RunningService.StartAsync(MorfX.ConfigApi.Program.Build, settings, b => b.Environment.EnvironmentName = "Production");
        });

        Assert.That(error!.Message, Does.Contain("DataProtection:KeyEncryptionKey").And.Contain("Production"));
    }

    [Test]
    public async Task In_production_config_api_starts_once_the_key_ring_is_protected()
    {
        var settings = TestInfrastructure.ServiceSettings(ResourceNames.ConfigDb);
        settings["DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        await using var service = await RunningService.StartAsync(MorfX.ConfigApi.Program.Build, settings, b => b.Environment.EnvironmentName = "Production");

        Assert.That(await service.WaitHealthyAsync(), Is.EqualTo("Healthy"));
    }

    [Test]
    public async Task A_first_start_on_a_new_database_logs_no_error()
    {
        // A database no config-api has migrated yet, as on a fresh install: the key ring must not be read before its table exists.
        var settings = TestInfrastructure.ServiceSettings(ResourceNames.ConfigDb);
        settings[$"ConnectionStrings:{ResourceNames.ConfigDb}"] = TestInfrastructure.DatabaseConnectionString("configdb_first_start");
        var logs = new CapturedLogs();

        await using var service = await RunningService.StartAsync(MorfX.ConfigApi.Program.Build, settings, b => b.Logging.AddProvider(logs));

        Assert.That(await service.WaitHealthyAsync(), Is.EqualTo("Healthy"));
        Assert.That(logs.Lines.Where(l => l.StartsWith("Error") || l.StartsWith("Critical")), Is.Empty);
    }
}
