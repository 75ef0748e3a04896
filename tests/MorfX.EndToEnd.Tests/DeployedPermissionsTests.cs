extern alias apphost;

using apphost::MorfX.AppHost.LocalServers;
using MorfX.ServiceDefaults;
using Npgsql;
using NUnit.Framework;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MorfX.EndToEnd.Tests;

/// <summary>
/// The system under test runs with the accounts production gives each service (deploy/resources.json, generated into
/// deploy/k8s): its own PostgreSQL role, which reaches its own database alone, and its own RabbitMQ user, which may touch
/// its own queues and the exchanges of its messages, nothing else. Every other test here runs under them too.
/// </summary>
[Parallelizable]
public class DeployedPermissionsTests
{
    static SystemFixture System => TestRun.System;

    [Test]
    public async Task Each_service_logs_in_to_its_own_database_as_its_own_role_and_is_refused_every_other()
    {
        var services = ResourceMap.Current.Services;
        foreach (var service in services)
        {
            var own = new NpgsqlConnectionStringBuilder(await System.ConnectionStringAsync(service.Database!)) { Pooling = false };
            Assert.That(own.Username, Is.EqualTo(service.Database), $"{service.Name} logs in as its own role");
            await using (var connection = new NpgsqlConnection(own.ConnectionString)) await connection.OpenAsync();

            // Every other service's database, and the maintenance database.
            foreach (var other in services.Where(s => s != service).Select(s => LocalServerExtensions.DatabaseName(s.Database!)).Append("postgres"))
            {
                var elsewhere = new NpgsqlConnectionStringBuilder(own.ConnectionString) { Database = other };
                var refused = Assert.ThrowsAsync<PostgresException>(async () =>
                {
                    await using var connection = new NpgsqlConnection(elsewhere.ConnectionString);
                    await connection.OpenAsync();
                }, $"{service.Name} reaches {elsewhere.Database}");
                Assert.That(refused!.SqlState, Is.EqualTo(PostgresErrorCodes.InvalidAuthorizationSpecification));
            }
        }
    }

    [Test]
    public async Task Each_service_may_declare_its_own_queues_and_publish_its_messages_and_is_refused_another_services()
    {
        var sms = ResourceMap.Current[ResourceNames.SmsSender];
        var factory = new ConnectionFactory { Uri = new Uri(await System.ConnectionStringAsync($"{ResourceNames.Messaging}-{sms.Name}")) };
        await using var connection = await factory.CreateConnectionAsync();
        Assert.That(factory.UserName, Is.EqualTo(sms.Name), "sms-sender logs in as its own user");

        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync($"{sms.Name}-permissions-probe", durable: false, exclusive: true, autoDelete: true);
            await channel.ExchangeDeclareAsync("MorfX.Contracts:SmsActivity", ExchangeType.Fanout, durable: true, autoDelete: false);
        }
        // Another service's queue, and an exchange sms-sender neither publishes nor consumes (config-api's announcement).
        foreach (var (what, act) in new (string, Func<IChannel, Task>)[]
        {
            ("declare usage-api's queue", c => c.QueueDeclareAsync("usage-api-sms-activity", durable: true, exclusive: false, autoDelete: false)),
            ("read usage-api's queue", c => c.BasicGetAsync("usage-api-sms-activity", autoAck: false)),
            ("declare ShopifyWebhookDelivered's exchange", c => c.ExchangeDeclareAsync("MorfX.Contracts:ShopifyWebhookDelivered", ExchangeType.Fanout, durable: true, autoDelete: false)),
        })
        {
            await using var channel = await connection.CreateChannelAsync();
            var refused = Assert.ThrowsAsync<OperationInterruptedException>(() => act(channel), $"sms-sender may {what}");
            Assert.That(refused!.ShutdownReason?.ReplyCode, Is.EqualTo(403), $"ACCESS_REFUSED to {what}");
        }
    }
}
