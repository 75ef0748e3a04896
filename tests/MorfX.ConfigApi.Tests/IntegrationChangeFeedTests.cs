using System.Net;
using System.Net.Http.Json;
using MorfX.ConfigApiClient;
using MorfX.Testing;
using Npgsql;
using NUnit.Framework;
using static MorfX.ConfigApi.Tests.ConfigApiFixture;

namespace MorfX.ConfigApi.Tests;

/// <summary>
/// The change feed the other services' look-up caches read (GET /internal/integration-changes): every committed change, in
/// commit order and without gaps, so a reader that has seen N has seen everything up to N; a reader that cannot continue
/// is told to start over.
/// </summary>
public class IntegrationChangeFeedTests
{
    const string Path = "/api/integrations/twilio";
    static readonly string AccountSid = "AC" + new string('b', 16) + new string('1', 16);

    [TearDown]
    public void ReportLogs() => ReportLogsIfFailed();

    static async Task<IntegrationChangePage> ReadAsync(long? after = null)
    {
        using var client = InternalClient();
        var page = await client.GetFromJsonAsync<IntegrationChangePage>(
            after is null ? "/internal/integration-changes" : $"/internal/integration-changes?after={after}");
        return page!;
    }

    static async Task SaveTwilioAsync(Guid workspace)
    {
        using var client = Client(workspace);
        using var response = await client.PutJson(Path, new { accountSid = AccountSid, authToken = Guid.NewGuid().ToString("N"), phoneNumber = "+15005550006" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Saves_and_removals_are_in_the_feed_in_commit_order_without_gaps()
    {
        var start = await ReadAsync();
        Assert.That(start.StartOver, Is.True, "a first read gives the head only");
        var workspaces = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToList();

        await Task.WhenAll(workspaces.Select(SaveTwilioAsync));
        using (var client = Client(workspaces[0]))
            Assert.That((await client.DeleteAsync(Path)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var changes = new List<IntegrationChangeEntry>();
        for (var after = start.Head; ;)
        {
            var page = await ReadAsync(after);
            Assert.That(page.StartOver, Is.False);
            if (page.Changes.Count == 0) break;
            changes.AddRange(page.Changes);
            after = page.Changes[^1].Seq;
        }
        var ours = changes.Where(c => workspaces.Contains(c.WorkspaceId)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(changes.Select(c => c.Seq), Is.EqualTo(Enumerable.Range(1, changes.Count).Select(i => start.Head + i)),
                "numbered without gaps, though the saves ran at once");
            Assert.That(ours.Select(c => c.WorkspaceId).Distinct(), Is.EquivalentTo(workspaces));
            Assert.That(ours.Count(c => c.WorkspaceId == workspaces[0]), Is.EqualTo(2), "the save and the removal");
            Assert.That(ours.Select(c => c.Integration), Is.All.EqualTo("twilio"));
        });
    }

    [Test]
    public async Task A_reader_further_behind_than_the_feed_keeps_is_told_to_start_over()
    {
        await SaveTwilioAsync(Guid.NewGuid());
        await SaveTwilioAsync(Guid.NewGuid());
        var head = (await ReadAsync()).Head;
        Assert.That((await ReadAsync(head - 2)).Changes, Is.Not.Empty);

        // Retention deleted the oldest change this reader had not seen.
        await using (var db = await OpenDatabaseAsync())
        await using (var delete = new NpgsqlCommand("DELETE FROM integration_changes WHERE seq <= $1", db) { Parameters = { new() { Value = head - 1 } } })
            await delete.ExecuteNonQueryAsync();

        var page = await ReadAsync(head - 2);
        var ahead = await ReadAsync(head + 1_000_000);
        Assert.Multiple(() =>
        {
            Assert.That(page.StartOver, Is.True);
            Assert.That(page.Head, Is.GreaterThanOrEqualTo(head));
            Assert.That(page.Changes, Is.Empty);
            Assert.That(ahead.StartOver, Is.True, "a reader ahead of the feed (a restored database) too");
        });
    }
}
