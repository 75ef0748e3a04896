using System.Diagnostics;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>
/// A background loop's pass (<see cref="BackgroundPass"/>) is a trace only once it finds work: an idle poll exports nothing
/// and spends nothing of the trace budget; a working one is one trace of what it did from then on.
/// </summary>
public class BackgroundPassTests
{
    static readonly ActivitySource Work = new("MorfX.UnitTests.Work");

    [Test]
    public void Idle_passes_export_nothing_and_leave_the_budget_to_the_orders()
    {
        using var exported = new ExportedSpans(sources: Work.Name);

        for (var i = 0; i < 100; i++)
        {
            using var pass = BackgroundPass.Start("outbox dispatch");
            using var query = Work.StartActivity("SELECT … FOR UPDATE SKIP LOCKED", ActivityKind.Client);
        }
        Assert.That(ExportedSpans.Describe(exported.Take()), Is.Empty, "a hundred idle polls leave no trace");

        for (var i = 0; i < TraceBudgetSampler.Burst; i++)
        {
            using var order = Work.StartActivity("POST /webhooks/shopify", ActivityKind.Server);
        }
        Assert.That(exported.Take(), Has.Count.EqualTo(TraceBudgetSampler.Burst), "the orders that follow are traced, every one");
    }

    [Test]
    public void A_pass_that_finds_work_is_one_trace_of_what_it_did()
    {
        using var exported = new ExportedSpans(sources: Work.Name);

        using (var pass = BackgroundPass.Start("resume due runs"))
        {
            using (Work.StartActivity("SELECT due", ActivityKind.Client)) { }
            pass.Working(3);
            using (Work.StartActivity("publish SmsRequested", ActivityKind.Producer)) { }
        }

        var spans = exported.Take();
        var root = spans.Single(s => s.ParentSpanId == default);
        Assert.Multiple(() =>
        {
            Assert.That(root.DisplayName, Is.EqualTo("resume due runs"));
            Assert.That(root.GetTagItem("morfx.items"), Is.EqualTo(3));
            Assert.That(spans.Select(s => s.DisplayName), Is.EquivalentTo(new[] { "resume due runs", "publish SmsRequested" }),
                "what the pass did after it found work, in its trace (the query that found it is not)");
            Assert.That(spans.Select(s => s.TraceId).Distinct(), Has.Exactly(1).Items);
        });
    }
}
