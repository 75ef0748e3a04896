using System.Text.Json;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.AutomationEngine.Limits;
using MorfX.Contracts;
using MorfX.Rules;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>Send windows in the recipient's clock (issue 31): when they are open, when they open next, and how a draft is refused.</summary>
public class SendWindowTests
{
    static readonly TimeZoneInfo Bogota = TimeZoneInfo.FindSystemTimeZoneById("America/Bogota");
    static readonly TimeZoneInfo Madrid = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid");
    static readonly string[] Weekdays = ["mon", "tue", "wed", "thu", "fri"];

    static WeeklyWindow Window(string start, string end, params string[] days) => WeeklyWindow.Parse(start, end, days).Window!;

    /// <summary>A Bogotá wall-clock time (UTC−5 all year) as an instant.</summary>
    static DateTimeOffset InBogota(int day, int hour, int minute = 0) => new(2026, 12, day, hour, minute, 0, TimeSpan.FromHours(-5));

    [Test]
    public void The_marketing_default_is_open_from_8_to_21_monday_to_saturday_in_colombia()
    {
        var window = Window(SendWindow.MarketingDefault.Start, SendWindow.MarketingDefault.End, [.. SendWindow.MarketingDefault.Days]);

        // Monday 7 December 2026.
        Assert.That(window.NextOpening(InBogota(7, 8), Bogota), Is.Null, "08:00 is inside");
        Assert.That(window.NextOpening(InBogota(7, 20, 59), Bogota), Is.Null);
        Assert.That(window.NextOpening(InBogota(7, 21), Bogota), Is.EqualTo(InBogota(8, 8)), "21:00 is outside: held until the next morning");
        Assert.That(window.NextOpening(InBogota(8, 3), Bogota), Is.EqualTo(InBogota(8, 8)), "an order at 3 a.m. waits for 08:00");
        Assert.That(window.NextOpening(InBogota(12, 22), Bogota), Is.EqualTo(InBogota(14, 8)), "Saturday night waits past Sunday to Monday");
        Assert.That(window.NextOpening(InBogota(8, 3), Bogota)!.Value.Offset, Is.EqualTo(TimeSpan.Zero), "instants are UTC, as the database keeps them");
    }

    [Test]
    public void A_window_may_cross_midnight_and_its_days_are_the_days_it_opens()
    {
        var friday = Window("22:00", "02:00", "fri");

        Assert.That(friday.NextOpening(InBogota(11, 23), Bogota), Is.Null, "Friday 23:00");
        Assert.That(friday.NextOpening(InBogota(12, 1, 30), Bogota), Is.Null, "Saturday 01:30 is still Friday's window");
        Assert.That(friday.NextOpening(InBogota(12, 2), Bogota), Is.EqualTo(InBogota(18, 22)), "Saturday 02:00: closed until next Friday");
        Assert.That(friday.NextOpening(InBogota(11, 1), Bogota), Is.EqualTo(InBogota(11, 22)), "Friday 01:00 belongs to Thursday, which has no window");
    }

    [Test]
    public void An_opening_skipped_by_a_clock_change_moves_past_the_gap()
    {
        // Madrid springs forward on 29 March 2026 at 02:00 (to 03:00): a 02:30 opening that day happens at 03:00 local.
        var window = Window("02:30", "05:00", "sun");
        var before = new DateTimeOffset(2026, 3, 29, 0, 0, 0, TimeSpan.Zero);

        Assert.That(window.NextOpening(before, Madrid), Is.EqualTo(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero)));
    }

    [TestCase("+573001234567", null, "America/Bogota", TestName = "A Colombian number follows Colombia's clock")]
    [TestCase("+51987654321", "America/Mexico_City", "America/Lima", TestName = "A Peruvian number follows Peru's clock whatever the shop's")]
    [TestCase("+525512345678", "America/Mexico_City", "America/Mexico_City", TestName = "A Mexican number, a country of several zones, follows the shop's")]
    [TestCase("+525512345678", null, "America/Bogota", TestName = "Without the shop's zone, Bogotá's")]
    [TestCase("+15551234567", "Not/AZone", "America/Bogota", TestName = "An unknown shop zone counts as none")]
    public void The_recipient_clock(string phone, string? shopZone, string expected) =>
        Assert.That(RecipientTimeZones.For(phone, shopZone).Id, Is.EqualTo(expected));

    static readonly WorkspaceIntegrations AllActive = new(TwilioActive: true, ShopifyActive: true, AutoSyncOrders: true);

    static List<(string Field, string Code)> Errors(SendWindow? window = null, string? purpose = null, object? minutes = null)
    {
        List<ActionStep> actions = [new("send_sms", new() { ["to"] = JsonSerializer.SerializeToElement("{{cliente.telefono}}"), ["body"] = JsonSerializer.SerializeToElement("Hola") })];
        if (minutes is not null) actions.Insert(0, new("wait", new() { ["minutes"] = JsonSerializer.SerializeToElement(minutes) }));
        var draft = new AutomationDraft("Promo", TriggerNames.ShopifyOrderCreated, [], actions, Purpose: purpose, SendWindow: window);
        return [.. AutomationValidator.Validate(draft, AllActive, new EngineLimitsOptions()).Select(e => (e.Field, e.Code))];
    }

    [Test]
    public void A_draft_with_a_purpose_a_window_and_a_wait_is_valid() =>
        Assert.That(Errors(new SendWindow("22:00", "02:00", Weekdays), "marketing", 120), Is.Empty);

    [Test]
    public void Each_bad_setting_is_refused_at_its_field_with_its_code()
    {
        Assert.That(Errors(purpose: "promo"), Is.EqualTo(new[] { ("purpose", "invalid_purpose") }));
        Assert.That(Errors(new SendWindow("8:00", "21:00", Weekdays)), Is.EqualTo(new[] { ("sendWindow.start", "invalid_send_window_start") }));
        Assert.That(Errors(new SendWindow("08:00", "24:00", Weekdays)), Is.EqualTo(new[] { ("sendWindow.end", "invalid_send_window_end") }));
        Assert.That(Errors(new SendWindow("08:00", "08:00", Weekdays)), Is.EqualTo(new[] { ("sendWindow.end", "empty_send_window") }));
        Assert.That(Errors(new SendWindow("08:00", "21:00", [])), Is.EqualTo(new[] { ("sendWindow.days", "invalid_send_window_days") }));
        Assert.That(Errors(new SendWindow("08:00", "21:00", ["lunes"])), Is.EqualTo(new[] { ("sendWindow.days", "invalid_send_window_days") }));
        Assert.That(Errors(new SendWindow("08:00", "21:00", ["mon", "mon"])), Is.EqualTo(new[] { ("sendWindow.days", "invalid_send_window_days") }));
    }

    [TestCase(0)]
    [TestCase(43_201)]
    [TestCase("120.5")]
    [TestCase("{{orden.total}}")]
    public void A_wait_is_whole_minutes_from_1_to_30_days(object minutes) =>
        Assert.That(Errors(minutes: minutes), Is.EqualTo(new[] { ("actions[0].config.minutes", "invalid_wait_minutes") }));

    [Test]
    public void A_wait_of_30_days_is_the_longest() => Assert.That(Errors(minutes: 43_200), Is.Empty);
}
