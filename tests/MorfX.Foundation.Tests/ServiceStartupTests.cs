using System.Net;
using System.Text.Json;
using MorfX.Data;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using Npgsql;
using NUnit.Framework;

namespace MorfX.Foundation.Tests;

public class ServiceStartupTests
{
    static IEnumerable<ServiceUnderTest> Services() => ServiceUnderTest.All();

    [TestCaseSource(nameof(Services))]
    public async Task Service_boots_against_real_postgres_and_rabbitmq_and_reports_healthy(ServiceUnderTest service)
    {
        await using var running = await RunningService.StartAsync(service.Build, TestInfrastructure.ServiceSettings(service.Database));

        Assert.That(await running.WaitHealthyAsync(), Is.EqualTo("Healthy"));
        using var client = running.CreateClient();
        Assert.That(await client.GetStringAsync("/alive"), Is.EqualTo("Healthy"));
    }

    [TestCaseSource(nameof(Services))]
    public async Task Ef_model_matches_the_migrated_schema(ServiceUnderTest service)
    {
        await using var running = await RunningService.StartAsync(service.Build, TestInfrastructure.ServiceSettings(service.Database));
        await using var db = service.CreateContext(running.Services);

        var differences = await SchemaComparer.DifferencesAsync(db);

        Assert.That(differences, Is.Empty, string.Join(Environment.NewLine, differences));
    }

    [TestCaseSource(nameof(Services))]
    public async Task Service_serves_its_openapi_document_and_explorer_page(ServiceUnderTest service)
    {
        await using var running = await RunningService.StartAsync(service.Build, TestInfrastructure.ServiceSettings(service.Database));
        using var client = running.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        Assert.That(document.RootElement.GetProperty("openapi").GetString(), Does.StartWith("3."));
        var page = await client.GetAsync("/swagger/index.html");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("swagger-ui"));
    }

    [TestCaseSource(nameof(Services))]
    public void Missing_connection_string_stops_startup_with_a_message_naming_it(ServiceUnderTest service)
    {
        var settings = TestInfrastructure.ServiceSettings(service.Database);
        settings.Remove($"ConnectionStrings:{service.Database}");

        var error = Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var _ = await RunningService.StartAsync(service.Build, settings);
        });

        Assert.That(error!.Message, Does.Contain($"ConnectionStrings:{service.Database}"));
    }

    [Test]
    public void Missing_broker_connection_string_stops_startup_with_a_message_naming_it()
    {
        var settings = TestInfrastructure.ServiceSettings(ResourceNames.UsageDb);
        settings.Remove($"ConnectionStrings:{ResourceNames.Messaging}");

        var error = Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var _ = await RunningService.StartAsync(MorfX.UsageApi.Program.Build, settings);
        });

        Assert.That(error!.Message, Does.Contain("ConnectionStrings:messaging"));
    }

    [Test]
    public async Task Instances_starting_together_apply_each_migration_exactly_once()
    {
        var connectionString = TestInfrastructure.DatabaseConnectionString("concurrent_migrations");
        var assembly = typeof(MorfX.SmsSender.Program).Assembly;
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger<SchemaMigrator>.Instance;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            new SchemaMigrator(connectionString, assembly, logger).StartAsync(CancellationToken.None)));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM schema_migrations", connection);
        Assert.That(Convert.ToInt32(await count.ExecuteScalarAsync()), Is.EqualTo(SchemaMigrator.Migrations(assembly).Count()));
    }

    [Test]
    public async Task Migrate_only_applies_the_schema_and_exits_without_broker_or_keys()
    {
        var connectionString = TestInfrastructure.DatabaseConnectionString("migrate_only");

        var exitCode = await MorfX.UsageApi.Program.Main(
            [SchemaMigrator.MigrateOnly, $"--ConnectionStrings:{ResourceNames.UsageDb}={connectionString}"]);

        Assert.That(exitCode, Is.Zero);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var tables = new NpgsqlCommand("SELECT count(*) FROM schema_migrations", connection);
        Assert.That(Convert.ToInt32(await tables.ExecuteScalarAsync()),
            Is.EqualTo(SchemaMigrator.Migrations(typeof(MorfX.UsageApi.Program).Assembly).Count()));
    }

    [Test]
    public async Task A_migration_edited_after_it_was_applied_stops_startup_naming_it()
    {
        var connectionString = TestInfrastructure.DatabaseConnectionString("edited_migration");
        var assembly = typeof(MorfX.UsageApi.Program).Assembly;
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger<SchemaMigrator>.Instance;
        await new SchemaMigrator(connectionString, assembly, logger).StartAsync(CancellationToken.None);
        var first = SchemaMigrator.Migrations(assembly).First().Id;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            // As if the file had been edited since: its recorded checksum no longer matches.
            await using var tamper = new NpgsqlCommand("UPDATE schema_migrations SET checksum = 'edited' WHERE id = @id", connection);
            tamper.Parameters.AddWithValue("id", first);
            await tamper.ExecuteNonQueryAsync();
        }

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => new SchemaMigrator(connectionString, assembly, logger).StartAsync(CancellationToken.None));

        Assert.That(error!.Message, Does.Contain(first).And.Contain("Add a new migration"));
    }
}
