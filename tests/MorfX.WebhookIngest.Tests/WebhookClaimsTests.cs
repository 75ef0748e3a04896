using Microsoft.Extensions.DependencyInjection;
using MorfX.Messaging.Outbox;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using MorfX.WebhookIngest.Apis;
using Npgsql;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.WebhookIngestFixture;

namespace MorfX.WebhookIngest.Tests;

/// <summary>
/// Webhooks accepted at the same moment share one statement and one commit (<see cref="WebhookClaims"/>), yet each is claimed
/// once and only a claimed webhook's events are written. These claims wait 300 ms for each other, so all handed in at once
/// share a statement; rows written by one transaction have one xmin, which shows it.
/// </summary>
public class WebhookClaimsTests
{
    [Test]
    public async Task Webhooks_claimed_together_share_one_commit_and_each_is_claimed_once()
    {
        await using var claims = new WebhookClaims(Ingest.Services.GetRequiredService<IServiceScopeFactory>(), TimeSpan.FromMilliseconds(300));
        var workspace = Guid.NewGuid();
        var before = Claim(workspace);
        Assert.That(await claims.ClaimAsync(before, CancellationToken.None), Is.True);
        var fresh = Enumerable.Range(0, 10).Select(_ => Claim(workspace)).ToList();

        var outcomes = await Task.WhenAll([.. fresh.Select(c => claims.ClaimAsync(c, CancellationToken.None)),
            claims.ClaimAsync(Claim(workspace, fresh[0].WebhookId), CancellationToken.None),
            claims.ClaimAsync(Claim(workspace, before.WebhookId), CancellationToken.None)]);

        Assert.That(outcomes[..10], Is.All.True, "each new webhook claimed");
        Assert.That(outcomes[10], Is.False, "the same webhook twice at once: claimed by the first");
        Assert.That(outcomes[11], Is.False, "a webhook claimed before is a duplicate");
        await using var db = new NpgsqlConnection(TestInfrastructure.DatabaseConnectionString(ResourceNames.IngestDb));
        await db.OpenAsync();
        Assert.That(await CountAsync(db, "SELECT count(DISTINCT xmin::text) FROM received_webhooks WHERE webhook_id = ANY (@v)",
            fresh.Select(c => c.WebhookId).ToArray()), Is.EqualTo(1), "the ten claims were committed together");
        Assert.That(await CountAsync(db, "SELECT count(*) FROM outbox_messages WHERE id = ANY (@v)", fresh.Select(c => c.EventId).ToArray()),
            Is.EqualTo(10), "each claimed webhook's event written");
        Assert.That(await CountAsync(db, "SELECT count(*) FROM outbox_messages WHERE body->>'tag' = @v", workspace.ToString()),
            Is.EqualTo(11), "no event written for a duplicate");
    }

    [Test]
    public async Task One_tenants_webhook_the_database_refuses_fails_alone_and_stays_unclaimed()
    {
        await using var claims = new WebhookClaims(Ingest.Services.GetRequiredService<IServiceScopeFactory>(), TimeSpan.FromMilliseconds(300));
        var (workspace, hostile) = (Guid.NewGuid(), Guid.NewGuid());
        var others = Enumerable.Range(0, 5).Select(_ => Claim(workspace)).ToList();
        // jsonb stores no NUL character: PostgreSQL refuses the whole shared statement for this one row.
        var refused = Claim(hostile, body: $$"""{"tag":"{{hostile}}","note":"Entregar\u0000 en la tarde"}""");

        var claiming = others.Select(c => claims.ClaimAsync(c, CancellationToken.None)).ToList();
        var failing = claims.ClaimAsync(refused, CancellationToken.None);

        Assert.That(await Task.WhenAll(claiming), Is.All.True, "the other tenant's webhooks are accepted");
        Assert.That(Assert.ThrowsAsync<PostgresException>(() => failing)!.SqlState, Does.StartWith("22"));
        await using var db = new NpgsqlConnection(TestInfrastructure.DatabaseConnectionString(ResourceNames.IngestDb));
        await db.OpenAsync();
        Assert.That(await CountAsync(db, "SELECT count(*) FROM received_webhooks WHERE webhook_id = ANY (@v)", new[] { refused.WebhookId }),
            Is.Zero, "the refused webhook is not marked seen: a corrected delivery is still accepted");
        Assert.That(await CountAsync(db, "SELECT count(*) FROM outbox_messages WHERE body->>'tag' = @v", workspace.ToString()), Is.EqualTo(5));
    }

    static WebhookClaim Claim(Guid workspace, string? webhookId = null, string? body = null)
    {
        var eventId = Guid.NewGuid();
        return new(webhookId ?? Guid.NewGuid().ToString(), ShopifyWebhooksApi.Source, "orders/create", workspace, eventId, DateTimeOffset.UtcNow,
            [new OutboxMessage { Id = eventId, MessageType = "ShopifyWebhookDelivered", Body = body ?? $$"""{"tag":"{{workspace}}"}""", CreatedAt = DateTimeOffset.UtcNow }]);
    }

    static async Task<long> CountAsync(NpgsqlConnection db, string sql, object value)
    {
        await using var command = new NpgsqlCommand(sql, db);
        command.Parameters.AddWithValue("v", value);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
