using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using MassTransit;
using MorfX.Contracts;
using MorfX.Testing;
using Npgsql;
using NUnit.Framework;
using static MorfX.ConfigApi.Tests.ConfigApiFixture;

namespace MorfX.ConfigApi.Tests;

/// <summary>Stops the real RabbitMQ, so it runs after every other fixture, and always starts it again.</summary>
[Order(100), NonParallelizable]
public sealed class BrokerOutageTests
{
    static readonly string InfraScript = Path.Combine(TestInfrastructure.RepoRoot, "deploy/local/infra.sh");

    [TearDown]
    public void ReportLogs() => ReportLogsIfFailed();

    [Test]
    public async Task A_save_while_the_broker_is_down_is_answered_200_and_announced_once_it_is_back()
    {
        // A durable queue bound before the outage keeps what is published after the restart, even before this bus reconnects.
        var changes = new ConcurrentQueue<IntegrationChanged>();
        var observer = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(TestInfrastructure.AmqpUri));
            cfg.ReceiveEndpoint("config-api-outage-tests", e => e.Handler<IntegrationChanged>(c =>
            {
                changes.Enqueue(c.Message);
                return Task.CompletedTask;
            }));
        });
        await observer.StartAsync();
        var workspace = Guid.NewGuid();
        HttpResponseMessage saved;
        var elapsed = Stopwatch.StartNew();

        await TestInfrastructure.RunAsync(InfraScript, "stop-rabbitmq");
        try
        {
            elapsed.Restart();
            using var client = Client(workspace);
            saved = await client.PutJson("/api/integrations/twilio",
                new { accountSid = "AC" + new string('b', 32), authToken = Guid.NewGuid().ToString("N"), phoneNumber = "+15005550006" });
            elapsed.Stop();
        }
        finally
        {
            await TestInfrastructure.RunAsync(InfraScript, "start-rabbitmq");
        }

        TestContext.Out.WriteLine($"Save during the outage: {(int)saved.StatusCode} in {elapsed.ElapsedMilliseconds} ms");
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());
        var announced = await Eventually.Get(() => Task.FromResult(changes.Where(c => c.WorkspaceId == workspace).ToList()), l => l.Count > 0,
            TimeSpan.FromSeconds(90), "IntegrationChanged published by the outbox once RabbitMQ is back");
        Assert.That((announced[0].Integration, announced[0].Status), Is.EqualTo((IntegrationKinds.Twilio, IntegrationStatuses.Active)));
        // Once its row is marked sent nothing is left to publish: what arrived by then is all there will be.
        await Eventually.Get(() => UnsentAsync(workspace), unsent => unsent == 0, TimeSpan.FromSeconds(30), "the outbox row marked sent");
        Assert.That(changes.Count(c => c.WorkspaceId == workspace), Is.EqualTo(1), "announced once");
        await observer.StopAsync();
    }

    async Task<long> UnsentAsync(Guid workspace)
    {
        await using var db = await OpenDatabaseAsync();
        await using var query = new NpgsqlCommand(
            "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL AND body->>'WorkspaceId' = @ws", db);
        query.Parameters.AddWithValue("ws", workspace.ToString());
        return (long)(await query.ExecuteScalarAsync())!;
    }

    [OneTimeTearDown]
    public async Task RabbitMqIsRunningAgain()
    {
        if (!TestInfrastructure.PortOpen(TestInfrastructure.AmqpPort))
            await TestInfrastructure.RunAsync(InfraScript, "start-rabbitmq");
    }
}
