using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Consumers;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

/// <summary>config-api's IntegrationChanged as the engine stores it: newest wins, whoever projects it and in whatever order.</summary>
public class IntegrationProjectionTests
{
    static Task<bool> ProjectAsync(IntegrationChanged change) =>
        QueryAsync(db => IntegrationChangedConsumer.ProjectAsync(db, change, CancellationToken.None));

    static Task<IntegrationState> StateAsync(Guid workspaceId) =>
        QueryAsync(db => db.IntegrationStates.AsNoTracking().SingleAsync(s => s.WorkspaceId == workspaceId));

    [Test]
    public async Task A_new_integration_projected_by_several_consumers_at_once_is_one_row_and_no_error()
    {
        var change = new IntegrationChanged(Guid.NewGuid(), IntegrationKinds.Shopify, IntegrationStatuses.Active,
            "tienda.myshopify.com", false, DateTimeOffset.UtcNow);

        // The shared queue's consumer and each instance's cache invalidator, released together.
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var projections = Enumerable.Range(0, 8).Select(_ => Task.Run(async () => { await go.Task; return await ProjectAsync(change); })).ToArray();
        go.SetResult();
        var written = await Task.WhenAll(projections);

        Assert.That(written, Is.All.True);
        var state = await StateAsync(change.WorkspaceId);
        Assert.That((state.Status, state.ShopDomain, state.AutoSyncOrders), Is.EqualTo((IntegrationStatuses.Active, "tienda.myshopify.com", false)));
    }

    [Test]
    public async Task An_older_change_is_ignored_and_a_newer_one_keeps_what_it_does_not_say()
    {
        var workspaceId = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;
        // A Colombian clock on the message: the same instant, another offset.
        Assert.That(await ProjectAsync(new(workspaceId, IntegrationKinds.Shopify, IntegrationStatuses.Active, "tienda.myshopify.com", false,
            at.ToOffset(TimeSpan.FromHours(-5)))), Is.True);

        Assert.That(await ProjectAsync(new(workspaceId, IntegrationKinds.Shopify, IntegrationStatuses.Removed, null, null, at.AddMinutes(-1))), Is.False);
        Assert.That((await StateAsync(workspaceId)).Status, Is.EqualTo(IntegrationStatuses.Active));

        Assert.That(await ProjectAsync(new(workspaceId, IntegrationKinds.Shopify, IntegrationStatuses.Failing, null, null, at.AddMinutes(1))), Is.True);
        var state = await StateAsync(workspaceId);
        Assert.That((state.Status, state.ShopDomain, state.AutoSyncOrders), Is.EqualTo((IntegrationStatuses.Failing, "tienda.myshopify.com", false)));
        Assert.That(state.ChangedAt, Is.EqualTo(at.AddMinutes(1)).Within(TimeSpan.FromMilliseconds(1)));
    }
}
