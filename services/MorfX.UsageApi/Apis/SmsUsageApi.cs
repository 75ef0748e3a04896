using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.Rules;
using MorfX.ServiceDefaults;
using MorfX.UsageApi.Data;
using MorfX.UsageApi.Queries;
using Npgsql;

namespace MorfX.UsageApi.Apis;

/// <summary>The Twilio usage dashboard: totals and recent messages, a daily chart, and spend per automation.</summary>
public static class SmsUsageApi
{
    /// <summary>Optional token claim with the workspace's IANA time zone, the chart's default.</summary>
    public const string TimeZoneClaim = "tz";

    /// <summary>Twilio bills SMS in USD unless the account says otherwise; shown while nothing is priced yet.</summary>
    const string DefaultPriceUnit = "USD";
    const int BodyPreviewLength = 100;

    static readonly string[] SummaryPeriods = [UsageRanges.Day, UsageRanges.Week, UsageRanges.Month];
    static readonly string[] ChartPeriods = [UsageRanges.Week, UsageRanges.Month];

    public static IEndpointRouteBuilder MapSmsUsageApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/usage/sms").WithTags("Usage").RequireAuthorization(Policies.WorkspaceRead);

        api.MapGet("", GetSummaryAsync).WithName("GetSmsUsage")
            .WithSummary("SMS sent, total cost, messages awaiting their price and the 50 most recent messages of the period")
            .ProducesProblems(UsageProblems.InvalidPeriod);
        api.MapGet("/chart", GetChartAsync).WithName("GetSmsUsageChart")
            .WithSummary("Count and cost per calendar day in a time zone, days without traffic as zeros")
            .ProducesProblems(UsageProblems.InvalidPeriod, UsageProblems.InvalidTimeZone);
        api.MapGet("/by-automation", GetByAutomationAsync).WithName("GetSmsUsageByAutomation")
            .WithSummary("Count and cost per automation (null = tests and manual sends), highest cost first")
            .ProducesProblems(UsageProblems.InvalidPeriod);
        return app;
    }

    public static async Task<Results<Ok<SmsUsageSummary>, ProblemHttpResult>> GetSummaryAsync(
        string? period, ClaimsPrincipal user, [AsParameters] SmsUsageServices services, CancellationToken ct)
    {
        if (!UsageRanges.TryParsePeriod(period, SummaryPeriods, out var chosen)) return InvalidPeriod(SummaryPeriods);
        var workspaceId = user.WorkspaceIdOf();
        var to = services.Clock.GetUtcNow();
        var from = to.AddDays(-UsageRanges.Days(chosen));

        var totals = await services.Query.TotalsAsync(workspaceId, from, to, ct);
        var recent = await services.Query.RecentAsync(workspaceId, from, to, ct);

        // Recipients and texts are customers' data: owners and admins see them; agents see the number masked as the opt-out
        // list shows it, and no text.
        var full = user.IsInRole(Roles.Owner) || user.IsInRole(Roles.Admin);
        var messages = recent.Select(m =>
        {
            var failed = m.Status == SmsStatuses.Failed;
            return new SmsUsageMessageView(m.RequestId, full ? m.To : PhoneNumbers.Redact(m.To),
                full ? UsageRanges.Cut(m.Body, BodyPreviewLength) : null, m.Status, m.Segments,
                failed ? null : m.Cost, Pending: !failed && m.Cost is null, m.SentAt);
        }).ToList();
        return TypedResults.Ok(new SmsUsageSummary(chosen, from, to, totals.TotalSent, UsageRanges.Money(totals.TotalCost),
            totals.PriceUnit ?? DefaultPriceUnit, totals.PendingCount, messages));
    }

    public static async Task<Results<Ok<List<SmsUsageChartPoint>>, ProblemHttpResult>> GetChartAsync(
        string? period, string? tz, ClaimsPrincipal user, [AsParameters] SmsUsageServices services, CancellationToken ct)
    {
        if (!UsageRanges.TryParsePeriod(period, ChartPeriods, out var chosen)) return InvalidPeriod(ChartPeriods);
        TimeZoneInfo? zone;
        if (tz is not null)
        {
            if (!UsageRanges.TryFindTimeZone(tz, out zone)) return InvalidTimeZone();
        }
        else if (!UsageRanges.TryFindTimeZone(user.FindFirstValue(TimeZoneClaim), out zone))
        {
            zone = TimeZoneInfo.Utc;
        }

        // Whole calendar days ending today in the zone, so the first bar is a full day like the others.
        var today = UsageRanges.Today(services.Clock.GetUtcNow(), zone);
        var firstDay = today.AddDays(1 - UsageRanges.Days(chosen));
        var from = UsageRanges.StartOfDay(firstDay, zone);
        var to = UsageRanges.StartOfDay(today.AddDays(1), zone);

        List<DailySmsUsage> days;
        try
        {
            days = await services.Query.DailyAsync(user.WorkspaceIdOf(), from, to, zone.Id, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidParameterValue)
        {
            // A zone .NET knows but this PostgreSQL's tz database does not (different tzdata versions).
            return InvalidTimeZone();
        }

        var byDay = days.ToDictionary(d => d.Day);
        var points = new List<SmsUsageChartPoint>();
        for (var day = firstDay; day <= today; day = day.AddDays(1))
            points.Add(byDay.TryGetValue(day, out var d)
                ? new SmsUsageChartPoint(day, d.Count, UsageRanges.Money(d.Cost))
                : new SmsUsageChartPoint(day, 0, 0m));
        return TypedResults.Ok(points);
    }

    public static async Task<Results<Ok<List<SmsUsageByAutomation>>, ProblemHttpResult>> GetByAutomationAsync(
        string? period, ClaimsPrincipal user, [AsParameters] SmsUsageServices services, CancellationToken ct)
    {
        if (!UsageRanges.TryParsePeriod(period, SummaryPeriods, out var chosen)) return InvalidPeriod(SummaryPeriods);
        var to = services.Clock.GetUtcNow();
        var from = to.AddDays(-UsageRanges.Days(chosen));

        var rows = await services.Query.ByAutomationAsync(user.WorkspaceIdOf(), from, to, ct);
        return TypedResults.Ok(rows.Select(r => new SmsUsageByAutomation(r.AutomationId, r.Count, UsageRanges.Money(r.Cost))).ToList());
    }

    static ProblemHttpResult InvalidPeriod(string[] allowed) =>
        UsageProblems.InvalidPeriod.With(Texts.InvalidPeriod(allowed));

    static ProblemHttpResult InvalidTimeZone() =>
        UsageProblems.InvalidTimeZone.With(Texts.InvalidTimeZone);
}
