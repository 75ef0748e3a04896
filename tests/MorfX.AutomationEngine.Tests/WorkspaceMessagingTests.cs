using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Consumers;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

/// <summary>
/// config-api's WorkspaceMessagingChanged as the engine keeps it (the latest by ChangedAt, whatever the order it arrives in),
/// what MessagingOfAsync reads, and the shop's time zone from IntegrationChanged.
/// </summary>
public class WorkspaceMessagingTests
{
    static readonly SendWindow Evenings = new("18:00", "22:00", ["mon", "tue", "wed", "thu", "fri"]);

    static Task<WorkspaceMessaging> MessagingOfAsync(Guid workspaceId) => QueryAsync(db => db.MessagingOfAsync(workspaceId, CancellationToken.None));

    [Test]
    public async Task A_workspace_without_settings_has_the_default_window_and_no_cap()
    {
        var messaging = await MessagingOfAsync(Guid.NewGuid());

        Assert.That(messaging, Is.SameAs(WorkspaceMessaging.Default));
        Assert.That((messaging.MarketingWindow.Start, messaging.MarketingWindow.End), Is.EqualTo(("08:00", "21:00")));
        Assert.That(messaging.MarketingWindow.Days, Is.EqualTo(new[] { "mon", "tue", "wed", "thu", "fri", "sat" }));
        Assert.That(messaging.FrequencyCap, Is.Null);
    }

    [Test]
    public async Task The_published_settings_are_kept_and_an_older_change_arriving_later_is_ignored()
    {
        var workspaceId = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;

        await Bus.Publish(new WorkspaceMessagingChanged(workspaceId, Evenings, new MarketingFrequencyCap(2, 7), at));
        var kept = await Eventually.Get(() => MessagingOfAsync(workspaceId), m => m != WorkspaceMessaging.Default, because: "the settings consumed");
        Assert.That((kept.MarketingWindow.Start, kept.MarketingWindow.End), Is.EqualTo(("18:00", "22:00")));
        Assert.That(kept.MarketingWindow.Days, Is.EqualTo(Evenings.Days));
        Assert.That(kept.FrequencyCap, Is.EqualTo(new MarketingFrequencyCap(2, 7)));

        var older = new WorkspaceMessagingChanged(workspaceId, SendWindow.MarketingDefault, null, at.AddMinutes(-1));
        Assert.That(await QueryAsync(db => WorkspaceMessagingChangedConsumer.ProjectAsync(db, older, CancellationToken.None)), Is.False);
        Assert.That((await MessagingOfAsync(workspaceId)).FrequencyCap, Is.EqualTo(new MarketingFrequencyCap(2, 7)), "the older change is ignored");

        var newer = new WorkspaceMessagingChanged(workspaceId, SendWindow.MarketingDefault, null, at.AddMinutes(1));
        Assert.That(await QueryAsync(db => WorkspaceMessagingChangedConsumer.ProjectAsync(db, newer, CancellationToken.None)), Is.True);
        Assert.That(await QueryAsync(db => WorkspaceMessagingChangedConsumer.ProjectAsync(db, newer, CancellationToken.None)), Is.True, "a redelivery is harmless");
        var latest = await MessagingOfAsync(workspaceId);
        Assert.That((latest.MarketingWindow.Start, latest.FrequencyCap), Is.EqualTo(("08:00", (MarketingFrequencyCap?)null)), "the cap turned off");
    }

    [Test]
    public async Task The_cached_settings_are_dropped_when_new_ones_are_published()
    {
        var workspaceId = Guid.NewGuid();
        var cache = Engine.Services.GetRequiredService<WorkspaceCache>();
        Assert.That(await QueryAsync(db => cache.MessagingAsync(db, workspaceId, CancellationToken.None)), Is.SameAs(WorkspaceMessaging.Default));

        await Bus.Publish(new WorkspaceMessagingChanged(workspaceId, Evenings, null, DateTimeOffset.UtcNow));

        await Eventually.Get(() => QueryAsync(db => cache.MessagingAsync(db, workspaceId, CancellationToken.None)),
            m => m.MarketingWindow.Start == "18:00", because: "every instance drops its cached copy");
    }

    [Test]
    public async Task The_shops_time_zone_is_kept_until_another_shop_is_connected()
    {
        var workspaceId = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;
        Task Project(IntegrationChanged change) => QueryAsync(db => IntegrationChangedConsumer.ProjectAsync(db, change, CancellationToken.None));
        Task<string?> ZoneAsync() => QueryAsync(async db => (await db.IntegrationsOfAsync(workspaceId)).ShopTimezone);

        await Project(new(workspaceId, IntegrationKinds.Shopify, IntegrationStatuses.Active, "tienda.myshopify.com", true, at));
        Assert.That(await ZoneAsync(), Is.Null, "unknown until config-api reads it");

        await Project(new(workspaceId, IntegrationKinds.Shopify, IntegrationStatuses.Active, "tienda.myshopify.com", true, at.AddSeconds(1), "America/Mexico_City"));
        Assert.That(await ZoneAsync(), Is.EqualTo("America/Mexico_City"));

        await Project(new(workspaceId, IntegrationKinds.Shopify, IntegrationStatuses.Failing, null, null, at.AddSeconds(2)));
        Assert.That(await ZoneAsync(), Is.EqualTo("America/Mexico_City"), "a change that does not say keeps it");

        await Project(new(workspaceId, IntegrationKinds.Shopify, IntegrationStatuses.Active, "otra.myshopify.com", true, at.AddSeconds(3)));
        Assert.That(await ZoneAsync(), Is.Null, "another shop keeps its own clock");
    }
}
