using Microsoft.EntityFrameworkCore;
using MorfX.Data;
using MorfX.Messaging.Outbox;
using MorfX.WebhookIngest.Data;
using NpgsqlTypes;
using static MorfX.Data.ArrayParameters;

namespace MorfX.WebhookIngest.Apis;

/// <summary>A webhook's id, to be claimed, and the outbox rows written only if the claim succeeds (a row whose id is there already is not).</summary>
public sealed record WebhookClaim(string WebhookId, string Source, string Topic, Guid WorkspaceId, Guid EventId, DateTimeOffset ReceivedAt,
    IReadOnlyList<OutboxMessage> Messages);

/// <summary>
/// Accepting a webhook is committing its id and its events together; webhooks accepted at the same time share one statement
/// and one commit (<see cref="SharedWrites{T, TResult}"/>: those that arrive while the previous statement runs, or within a
/// millisecond). Each is still answered only after its own rows are committed. A transient fault reruns the statement (EF's
/// execution strategy): a rerun after a commit whose answer was lost sees the ids taken, and the outbox dispatcher publishes
/// the committed rows.
/// </summary>
public sealed class WebhookClaims : IAsyncDisposable
{
    static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(1);
    const int MaxClaims = 100;

    readonly IServiceScopeFactory _scopes;
    readonly SharedWrites<WebhookClaim, bool> _claims;

    /// <param name="linger">How long a claim waits for others to share its statement (1 ms; tests make it longer).</param>
    public WebhookClaims(IServiceScopeFactory scopes, TimeSpan? linger = null) =>
        (_scopes, _claims) = (scopes, new(ClaimAllAsync, linger ?? Linger, MaxClaims));

    /// <summary>
    /// True when this claim took the webhook id and wrote its messages (committed, to be published); false when the id was
    /// taken before, or every message was already in the outbox (the same event under another webhook id).
    /// </summary>
    public Task<bool> ClaimAsync(WebhookClaim claim, CancellationToken ct) => _claims.WriteAsync(claim, ct);

    async Task<IReadOnlyList<bool>> ClaimAllAsync(IReadOnlyList<WebhookClaim> claims)
    {
        // The same id twice in one statement is claimed by the first; the second is a duplicate, answered after the commit.
        var first = claims.DistinctBy(c => c.WebhookId).ToList();
        var messages = first.SelectMany(c => c.Messages.Select(m => (c.WebhookId, Message: m))).ToList();
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IngestDbContext>();
        var written = (await db.Database.CreateExecutionStrategy().ExecuteAsync(() => db.Database.SqlQuery<Guid>($"""
            WITH claimed AS (
                INSERT INTO received_webhooks (webhook_id, source, topic, workspace_id, event_id, received_at)
                SELECT * FROM unnest({Column("ids", NpgsqlDbType.Text, first, c => c.WebhookId)},
                                     {Column("sources", NpgsqlDbType.Text, first, c => c.Source)},
                                     {Column("topics", NpgsqlDbType.Text, first, c => c.Topic)},
                                     {Column("workspaces", NpgsqlDbType.Uuid, first, c => c.WorkspaceId)},
                                     {Column("events", NpgsqlDbType.Uuid, first, c => c.EventId)},
                                     {Column("received", NpgsqlDbType.TimestampTz, first, c => c.ReceivedAt)})
                ON CONFLICT (webhook_id) DO NOTHING
                RETURNING webhook_id),
            written AS (
                INSERT INTO outbox_messages (id, message_type, body, created_at)
                SELECT r.id, r.message_type, r.body::jsonb, r.created_at
                FROM unnest({Column("claims", NpgsqlDbType.Text, messages, m => m.WebhookId)},
                            {Column("messages", NpgsqlDbType.Uuid, messages, m => m.Message.Id)},
                            {Column("types", NpgsqlDbType.Text, messages, m => m.Message.MessageType)},
                            {Column("bodies", NpgsqlDbType.Text, messages, m => m.Message.Body)},
                            {Column("created", NpgsqlDbType.TimestampTz, messages, m => m.Message.CreatedAt)})
                     AS r(webhook_id, id, message_type, body, created_at)
                JOIN claimed USING (webhook_id)
                ON CONFLICT (id) DO NOTHING
                RETURNING id)
            SELECT id AS "Value" FROM written
            """).ToListAsync(CancellationToken.None))).ToHashSet();
        // A claim that wrote none of its messages (all already in the outbox: the same event under another webhook id) has
        // nothing to publish; a message id two claims carry was written by the first of them.
        return [.. claims.Select(c => c.Messages.Count(m => written.Remove(m.Id)) > 0)];
    }

    public ValueTask DisposeAsync() => _claims.DisposeAsync();
}
