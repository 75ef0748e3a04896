using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using NUnit.Framework;
using static MorfX.UsageApi.Tests.UsageApiFixture;

namespace MorfX.UsageApi.Tests;

public class SmsUsageTests
{
    [Test]
    public async Task An_agent_sees_recipients_masked_and_no_text_where_owners_and_admins_see_them_whole()
    {
        var ws = Guid.NewGuid();
        var request = Guid.NewGuid();
        await PublishAsync(Sent(ws, request, Now().AddMinutes(-5), body: "Hola Ana, tu pedido #1001 va a Calle 10 # 5-20", to: "+573001234567"));

        var agent = (await SummaryAsync(Client(ws, Roles.Agent), "day")).Messages.Single();
        Assert.That((agent.To, agent.Body), Is.EqualTo(("+57******4567", (string?)null)), "masked as the opt-out list masks numbers");
        foreach (var role in new[] { Roles.Owner, Roles.Admin })
        {
            var whole = (await SummaryAsync(Client(ws, role), "day")).Messages.Single();
            Assert.That((whole.To, whole.Body), Is.EqualTo(("+573001234567", "Hola Ana, tu pedido #1001 va a Calle 10 # 5-20")), role);
        }
    }

    [Test]
    public async Task Published_messages_appear_in_the_summary_with_exact_totals()
    {
        var ws = Guid.NewGuid();
        var now = Now();
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid(), pending = Guid.NewGuid(), failed = Guid.NewGuid(),
            threeDaysAgo = Guid.NewGuid(), tenDaysAgo = Guid.NewGuid();
        var longBody = new string('x', 95) + "áéíóúñ¿¡" + new string('y', 40);

        await PublishAsync(
            Sent(ws, a, now.AddHours(-5)), Sent(ws, b, now.AddHours(-4), segments: 2, body: longBody), Sent(ws, c, now.AddHours(-3)),
            Sent(ws, pending, now.AddHours(-1)), Failed(ws, failed, now.AddHours(-2)),
            Sent(ws, threeDaysAgo, now.AddDays(-3)), Sent(ws, tenDaysAgo, now.AddDays(-10)));
        await PublishAsync(
            Priced(ws, a, 0.0079m, now.AddHours(-4.9)), Priced(ws, b, 0.0158m, now.AddHours(-3.9)), Priced(ws, c, 0.00750m, now.AddHours(-2.9)),
            Priced(ws, threeDaysAgo, 0.0079m, now.AddDays(-3)), Priced(ws, tenDaysAgo, 0.0079m, now.AddDays(-10)));

        var day = await SummaryAsync(Client(ws), "day");
        Assert.Multiple(() =>
        {
            Assert.That(day.Period, Is.EqualTo("day"));
            Assert.That(day.To - day.From, Is.EqualTo(TimeSpan.FromDays(1)));
            Assert.That(day.TotalSent, Is.EqualTo(4), "the failed message was not sent");
            Assert.That(day.TotalCost, Is.EqualTo(0.0312m));
            Assert.That(day.PriceUnit, Is.EqualTo("USD"));
            Assert.That(day.PendingCount, Is.EqualTo(1));
            Assert.That(day.Messages.Select(m => m.RequestId), Is.EqualTo(new[] { pending, failed, c, b, a }), "most recent first");
        });
        var second = day.Messages.Single(m => m.RequestId == b);
        Assert.Multiple(() =>
        {
            Assert.That(second.Body, Is.EqualTo(longBody[..100]));
            Assert.That(second.Segments, Is.EqualTo(2));
            Assert.That(second.Cost, Is.EqualTo(0.0158m));
            Assert.That(second.Pending, Is.False);
            Assert.That(second.Status, Is.EqualTo("queued"));
            Assert.That(second.To, Is.EqualTo("+573001234567"));
            Assert.That(second.SentAt, Is.EqualTo(now.AddHours(-4)));
            Assert.That(day.Messages.Single(m => m.RequestId == pending).Pending, Is.True);
            Assert.That(day.Messages.Single(m => m.RequestId == failed), Has.Property("Pending").False.And.Property("Cost").Null);
        });

        var week = await SummaryAsync(Client(ws), "week");
        var month = await SummaryAsync(Client(ws), "month");
        Assert.Multiple(() =>
        {
            Assert.That((week.TotalSent, week.TotalCost, week.PendingCount), Is.EqualTo((5, 0.0391m, 1)));
            Assert.That((month.TotalSent, month.TotalCost, month.PendingCount), Is.EqualTo((6, 0.0470m, 1)));
            Assert.That(month.To - month.From, Is.EqualTo(TimeSpan.FromDays(30)));
        });
    }

    [Test]
    public async Task Summary_json_uses_the_documented_field_names_and_defaults_to_a_week()
    {
        var ws = Guid.NewGuid();
        await PublishAsync(Sent(ws, Guid.NewGuid(), Now().AddHours(-1)));

        using var json = JsonDocument.Parse(await Client(ws).GetStringAsync("/api/usage/sms"));
        var root = json.RootElement;
        Assert.That(root.GetProperty("period").GetString(), Is.EqualTo("week"));
        foreach (var name in new[] { "from", "to", "totalSent", "totalCost", "priceUnit", "pendingCount", "messages" })
            Assert.That(root.TryGetProperty(name, out _), name);
        var message = root.GetProperty("messages")[0];
        foreach (var name in new[] { "requestId", "to", "body", "status", "segments", "cost", "pending", "sentAt" })
            Assert.That(message.TryGetProperty(name, out _), name);
        Assert.That(message.GetProperty("cost").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Message_priced_later_moves_from_pending_to_cost()
    {
        var ws = Guid.NewGuid();
        var id = Guid.NewGuid();
        var now = Now();
        await PublishAsync(Sent(ws, id, now.AddMinutes(-10), segments: 2), Status(ws, id, "delivered", now.AddMinutes(-9)));

        var before = await SummaryAsync(Client(ws));
        Assert.Multiple(() =>
        {
            Assert.That((before.TotalSent, before.TotalCost, before.PendingCount), Is.EqualTo((1, 0m, 1)));
            Assert.That(before.Messages.Single(), Has.Property("Pending").True.And.Property("Cost").Null);
        });

        await PublishAsync(Priced(ws, id, 0.0158m, now.AddMinutes(-2)));

        var after = await SummaryAsync(Client(ws));
        Assert.Multiple(() =>
        {
            Assert.That((after.TotalSent, after.TotalCost, after.PendingCount), Is.EqualTo((1, 0.0158m, 0)));
            Assert.That(after.Messages.Single(), Has.Property("Pending").False.And.Property("Cost").EqualTo(0.0158m));
            Assert.That(after.Messages.Single().Status, Is.EqualTo("delivered"));
            Assert.That(after.Messages.Single().SentAt, Is.EqualTo(now.AddMinutes(-10)), "sent at is the first known time");
        });
    }

    /// <summary>
    /// Events are merged in batches (one transaction per batch): several events of one message in the same batch, in any
    /// order and repeated, must leave the row the same as one event at a time.
    /// </summary>
    [Test]
    public async Task Events_published_all_at_once_converge_like_one_at_a_time()
    {
        var ws = Guid.NewGuid();
        var sentAt = Now().AddMinutes(-30);
        var ids = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        object[] Events(Guid id) =>
        [
            Status(ws, id, "delivered", sentAt.AddSeconds(5)), Priced(ws, id, 0.0079m, sentAt.AddMinutes(3)),
            Status(ws, id, "sent", sentAt.AddSeconds(2)), Sent(ws, id, sentAt, status: "queued"),
            Status(ws, id, "queued", sentAt.AddSeconds(1)), Status(ws, id, "delivered", sentAt.AddSeconds(6)),
            Priced(ws, id, 0.0079m, sentAt.AddMinutes(9)),
        ];

        await PublishAsync([.. ids.SelectMany(Events)]);

        var summary = await SummaryAsync(Client(ws));
        Assert.Multiple(() =>
        {
            Assert.That((summary.TotalSent, summary.TotalCost, summary.PendingCount), Is.EqualTo((20, 20 * 0.0079m, 0)));
            Assert.That(summary.Messages.Select(m => (m.Status, m.Cost, m.SentAt)), Is.All.EqualTo(("delivered", (decimal?)0.0079m, sentAt)));
        });
    }

    /// <summary>sms-sender announces many SMS to one SmsActivity; its events count exactly as when published one by one.</summary>
    [Test]
    public async Task Events_carried_many_to_a_message_count_as_one_by_one_even_when_the_message_comes_twice()
    {
        var ws = Guid.NewGuid();
        var sentAt = Now().AddMinutes(-30);
        var ids = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        var sent = new SmsActivity([.. ids.Select(id => Sent(ws, id, sentAt, segments: 2))], [.. ids.Select(id => Status(ws, id, "sent", sentAt.AddSeconds(2)))], []);
        // The price check's batch: statuses and prices together, the last message still unpriced.
        var priced = new SmsActivity([], [.. ids.Select(id => Status(ws, id, "delivered", sentAt.AddSeconds(5)))],
            [.. ids.SkipLast(1).Select(id => Priced(ws, id, 0.0158m, sentAt.AddMinutes(3)))]);

        await PublishAsync(priced, sent, sent);

        var summary = await SummaryAsync(Client(ws));
        Assert.Multiple(() =>
        {
            Assert.That((summary.TotalSent, summary.TotalCost, summary.PendingCount), Is.EqualTo((20, 19 * 0.0158m, 1)));
            Assert.That(summary.Messages.Select(m => (m.Status, m.SentAt)), Is.All.EqualTo(("delivered", sentAt)));
        });
    }

    [Test]
    public async Task Out_of_order_and_repeated_events_converge_to_the_same_row()
    {
        var ws = Guid.NewGuid();
        var now = Now();
        Guid inOrder = Guid.NewGuid(), shuffled = Guid.NewGuid();
        var sentAt = now.AddMinutes(-30);
        object[] Events(Guid id) =>
        [
            Sent(ws, id, sentAt, status: "queued", segments: 2),
            Status(ws, id, "sending", sentAt.AddSeconds(1)),
            Status(ws, id, "sent", sentAt.AddSeconds(2)),
            Status(ws, id, "delivered", sentAt.AddSeconds(5)),
            Priced(ws, id, 0.0158m, sentAt.AddMinutes(3)),
        ];
        var e = Events(shuffled);

        await PublishInOrderAsync(Events(inOrder));
        // The price first, the final status before the older ones, and every event again, one more price among them.
        await PublishInOrderAsync(e[4], e[3], e[0], e[2], e[1], e[3], e[0], e[4],
            Priced(ws, shuffled, 0.0500m, sentAt.AddMinutes(9)), Status(ws, shuffled, "queued", sentAt.AddMinutes(10)));

        var summary = await SummaryAsync(Client(ws));
        var a = summary.Messages.Single(m => m.RequestId == inOrder);
        var b = summary.Messages.Single(m => m.RequestId == shuffled);
        Assert.Multiple(() =>
        {
            Assert.That(b with { RequestId = inOrder }, Is.EqualTo(a));
            Assert.That(b.Status, Is.EqualTo("delivered"), "an older status never moves a message back");
            Assert.That(b.Cost, Is.EqualTo(0.0158m), "a price once set stays");
            Assert.That(b.SentAt, Is.EqualTo(sentAt), "sent at is the first known event time, not the first price");
            Assert.That(b.Segments, Is.EqualTo(2));
            Assert.That(b.To, Is.EqualTo("+573001234567"));
            Assert.That((summary.TotalSent, summary.TotalCost, summary.PendingCount), Is.EqualTo((2, 0.0316m, 0)));
        });
    }

    [Test]
    public async Task Failed_message_has_no_cost_and_is_neither_sent_nor_pending()
    {
        var ws = Guid.NewGuid();
        var now = Now();
        Guid rejected = Guid.NewGuid(), failedAfterPrice = Guid.NewGuid(), delivered = Guid.NewGuid();

        await PublishInOrderAsync(
            Failed(ws, rejected, now.AddMinutes(-20)), Priced(ws, rejected, 0.0079m, now.AddMinutes(-19)),
            Sent(ws, failedAfterPrice, now.AddMinutes(-15)), Priced(ws, failedAfterPrice, 0.0079m, now.AddMinutes(-14)),
            Status(ws, failedAfterPrice, "failed", now.AddMinutes(-13)), Status(ws, failedAfterPrice, "delivered", now.AddMinutes(-12)),
            Sent(ws, delivered, now.AddMinutes(-10)), Priced(ws, delivered, 0.0079m, now.AddMinutes(-9)));

        var summary = await SummaryAsync(Client(ws));
        Assert.Multiple(() =>
        {
            Assert.That((summary.TotalSent, summary.TotalCost, summary.PendingCount), Is.EqualTo((1, 0.0079m, 0)));
            foreach (var id in new[] { rejected, failedAfterPrice })
            {
                var m = summary.Messages.Single(x => x.RequestId == id);
                Assert.That((m.Status, m.Cost, m.Pending), Is.EqualTo(("failed", (decimal?)null, false)));
            }
        });
    }

    [Test]
    public async Task Chart_cuts_days_in_the_requested_time_zone_and_fills_quiet_days_with_zeros()
    {
        var ws = Guid.NewGuid();
        var utcToday = DateOnly.FromDateTime(DateTime.UtcNow);
        // 03:00 UTC is 22:00 of the previous day in Bogota (UTC-5, no DST).
        var lateEveningInBogota = new DateTimeOffset(utcToday.AddDays(-2).ToDateTime(new TimeOnly(3, 0)), TimeSpan.Zero);
        var id = Guid.NewGuid();
        await PublishAsync(Sent(ws, id, lateEveningInBogota), Priced(ws, id, 0.0079m, lateEveningInBogota.AddMinutes(2)));

        var bogota = await ChartAsync(Client(ws), "?period=week&tz=America/Bogota");
        var utc = await ChartAsync(Client(ws), "?period=week&tz=UTC");
        var bogotaToday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("America/Bogota")).DateTime);

        Assert.Multiple(() =>
        {
            Assert.That(bogota.Select(p => p.Date), Is.EqualTo(Enumerable.Range(-6, 7).Select(bogotaToday.AddDays)), "one point per day, ending today");
            Assert.That(bogota.Where(p => p.Count > 0).Select(p => (p.Date, p.Count, p.Cost)),
                Is.EqualTo(new[] { (utcToday.AddDays(-3), 1, 0.0079m) }));
            Assert.That(bogota.Where(p => p.Count == 0).Select(p => p.Cost), Is.All.EqualTo(0m));
            Assert.That(utc.Select(p => p.Date), Is.EqualTo(Enumerable.Range(-6, 7).Select(utcToday.AddDays)));
            Assert.That(utc.Where(p => p.Count > 0).Select(p => p.Date), Is.EqualTo(new[] { utcToday.AddDays(-2) }));
        });
    }

    [Test]
    public async Task Chart_defaults_to_the_token_time_zone_else_utc_and_a_month_has_thirty_days()
    {
        var ws = Guid.NewGuid();
        var utcToday = DateOnly.FromDateTime(DateTime.UtcNow);
        var at = new DateTimeOffset(utcToday.AddDays(-2).ToDateTime(new TimeOnly(3, 0)), TimeSpan.Zero);
        await PublishAsync(Sent(ws, Guid.NewGuid(), at));

        var fromClaim = await ChartAsync(ClientWithTimeZoneClaim(ws, "America/Bogota"), "?period=month");
        var withoutClaim = await ChartAsync(Client(ws), "?period=month");

        Assert.Multiple(() =>
        {
            Assert.That(fromClaim, Has.Count.EqualTo(30));
            Assert.That(fromClaim.Single(p => p.Count > 0).Date, Is.EqualTo(utcToday.AddDays(-3)));
            Assert.That(withoutClaim, Has.Count.EqualTo(30));
            Assert.That(withoutClaim.Single(p => p.Count > 0).Date, Is.EqualTo(utcToday.AddDays(-2)));
        });
    }

    [Test]
    public async Task Spend_per_automation_is_ordered_by_cost_and_manual_sends_have_no_automation()
    {
        var ws = Guid.NewGuid();
        var now = Now();
        Guid welcome = Guid.NewGuid(), shipping = Guid.NewGuid();
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();

        await PublishAsync(
            Sent(ws, ids[0], now.AddHours(-1), automationId: welcome), Sent(ws, ids[1], now.AddHours(-2), automationId: welcome),
            Sent(ws, ids[2], now.AddHours(-3), automationId: shipping, segments: 4), Sent(ws, ids[3], now.AddHours(-4)),
            Failed(ws, ids[4], now.AddHours(-5), automationId: welcome));
        await PublishAsync(
            Priced(ws, ids[0], 0.0079m, now), Priced(ws, ids[1], 0.0079m, now), Priced(ws, ids[2], 0.0316m, now), Priced(ws, ids[3], 0.0079m, now));

        var rows = await ByAutomationAsync(Client(ws));

        Assert.That(rows.Select(r => (r.AutomationId, r.Count, r.Cost)), Is.EqualTo(new (Guid?, int, decimal)[]
        {
            (shipping, 1, 0.0316m), (welcome, 2, 0.0158m), (null, 1, 0.0079m),
        }));
    }

    [Test]
    public async Task Another_workspace_messages_never_appear()
    {
        Guid mine = Guid.NewGuid(), theirs = Guid.NewGuid();
        var now = Now();
        Guid myMessage = Guid.NewGuid(), theirMessage = Guid.NewGuid();
        await PublishAsync(
            Sent(mine, myMessage, now.AddHours(-1)), Priced(mine, myMessage, 0.0079m, now),
            Sent(theirs, theirMessage, now.AddHours(-1), automationId: Guid.NewGuid()), Priced(theirs, theirMessage, 0.0500m, now));
        // An event naming my message under their workspace must not touch my row.
        await PublishAsync(Status(theirs, myMessage, "failed", now), Priced(theirs, myMessage, 9m, now));

        var summary = await SummaryAsync(Client(mine));
        var chart = await ChartAsync(Client(mine), "?period=week");
        var byAutomation = await ByAutomationAsync(Client(mine));

        Assert.Multiple(() =>
        {
            Assert.That(summary.Messages.Select(m => m.RequestId), Is.EqualTo(new[] { myMessage }));
            Assert.That((summary.TotalSent, summary.TotalCost, summary.Messages[0].Status), Is.EqualTo((1, 0.0079m, "queued")));
            Assert.That(chart.Sum(p => p.Count), Is.EqualTo(1));
            Assert.That(chart.Sum(p => p.Cost), Is.EqualTo(0.0079m));
            Assert.That(byAutomation.Select(r => (r.AutomationId, r.Count, r.Cost)), Is.EqualTo(new (Guid?, int, decimal)[] { (null, 1, 0.0079m) }));
        });
    }

    [TestCase("/api/usage/sms?period=year", "invalid_period")]
    [TestCase("/api/usage/sms?period=", "invalid_period")]
    [TestCase("/api/usage/sms/by-automation?period=hour", "invalid_period")]
    [TestCase("/api/usage/sms/chart?period=day", "invalid_period")]
    [TestCase("/api/usage/sms/chart?period=week&tz=Mars/Olympus_Mons", "invalid_timezone")]
    [TestCase("/api/usage/sms/chart?tz=", "invalid_timezone")]
    [TestCase("/api/usage/sms/chart?tz=../../etc/passwd", "invalid_timezone")]
    public async Task Bad_period_or_time_zone_is_a_problem_with_its_code(string url, string code)
    {
        var response = await Client(Guid.NewGuid()).GetAsync(url);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(problem.RootElement.GetProperty("code").GetString(), Is.EqualTo(code));
        Assert.That(problem.RootElement.GetProperty("detail").GetString(), Is.Not.Empty);
    }

    [TestCase("/api/usage/sms")]
    [TestCase("/api/usage/sms/chart")]
    [TestCase("/api/usage/sms/by-automation")]
    public async Task An_agent_can_read_and_a_request_without_token_is_refused(string url)
    {
        using var anonymous = Service.CreateClient();

        Assert.That((await Client(Guid.NewGuid(), Roles.Agent).GetAsync(url)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await anonymous.GetAsync(url)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task An_empty_workspace_has_zero_totals_and_a_flat_chart()
    {
        var client = Client(Guid.NewGuid());

        var summary = await SummaryAsync(client, "month");
        var chart = await ChartAsync(client, "?period=week&tz=Asia/Kolkata");
        var byAutomation = await client.GetFromJsonAsync<JsonElement>("/api/usage/sms/by-automation?period=day");

        Assert.Multiple(() =>
        {
            Assert.That((summary.TotalSent, summary.TotalCost, summary.PendingCount, summary.PriceUnit), Is.EqualTo((0, 0m, 0, "USD")));
            Assert.That(summary.Messages, Is.Empty);
            Assert.That(chart, Has.Count.EqualTo(7).And.All.Property("Count").EqualTo(0));
            Assert.That(byAutomation.GetArrayLength(), Is.EqualTo(0));
        });
    }
}
