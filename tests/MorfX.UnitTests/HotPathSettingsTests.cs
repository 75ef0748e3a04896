using System.Diagnostics;
using MorfX.Data;
using MorfX.ServiceDefaults;
using Npgsql;
using NUnit.Framework;
using OpenTelemetry.Trace;

namespace MorfX.UnitTests;

/// <summary>The hot path's connection and tracing defaults: on unless configuration says otherwise, and bounded.</summary>
public class HotPathSettingsTests
{
    [Test]
    public void A_plain_connection_string_gets_no_reset_on_close_auto_prepare_and_a_bounded_pool()
    {
        var tuned = new NpgsqlConnectionStringBuilder(DatabaseExtensions.Tuned("Host=db;Database=enginedb;Username=morfx;Password=secret"));
        Assert.Multiple(() =>
        {
            Assert.That(tuned.NoResetOnClose, Is.True);
            Assert.That(tuned.MaxAutoPrepare, Is.GreaterThan(0));
            Assert.That(tuned.MaxPoolSize, Is.EqualTo(40));
            Assert.That(tuned.Password, Is.EqualTo("secret"), "the rest of the connection string is kept");
        });
    }

    [Test]
    public void What_the_connection_string_sets_wins_over_the_defaults()
    {
        var tuned = new NpgsqlConnectionStringBuilder(DatabaseExtensions.Tuned(
            "Host=db;Database=x;No Reset On Close=false;Max Auto Prepare=0;Maximum Pool Size=7"));
        Assert.Multiple(() =>
        {
            Assert.That(tuned.NoResetOnClose, Is.False);
            Assert.That(tuned.MaxAutoPrepare, Is.Zero);
            Assert.That(tuned.MaxPoolSize, Is.EqualTo(7));
        });
    }

    [Test]
    public void The_trace_sampler_keeps_every_trace_within_its_budget_and_drops_the_rest_of_a_burst()
    {
        var sampler = new TraceBudgetSampler(perSecond: 20);
        var decisions = Enumerable.Range(0, 1000).Select(_ => sampler.ShouldSample(new SamplingParameters(
            default, ActivityTraceId.CreateRandom(), "POST /webhooks/shopify", ActivityKind.Server)).Decision).ToList();
        var sampled = decisions.Count(d => d == SamplingDecision.RecordAndSample);
        TestContext.Out.WriteLine($"{sampled} of 1000 traces started at once were sampled");
        Assert.That(decisions.Take(20), Is.All.EqualTo(SamplingDecision.RecordAndSample), "a quiet system traces everything");
        Assert.That(sampled, Is.LessThan(40), "a burst is sampled within the budget");
    }

    [Test]
    public void A_budget_of_one_a_second_still_traces_a_burst_of_ten_on_a_quiet_system()
    {
        var sampler = new TraceBudgetSampler(perSecond: 1);
        var sampled = Enumerable.Range(0, 1000).Count(_ => sampler.ShouldSample(new SamplingParameters(
            default, ActivityTraceId.CreateRandom(), "POST /webhooks/twilio/status", ActivityKind.Server)).Decision == SamplingDecision.RecordAndSample);
        Assert.That(sampled, Is.InRange(TraceBudgetSampler.Burst, TraceBudgetSampler.Burst + 1));
    }

    [Test]
    public void A_continued_trace_follows_its_parent_but_a_request_from_outside_is_ours_to_sample()
    {
        var sampler = new TraceBudgetSampler(perSecond: 5);
        SamplingDecision Decide(ActivityTraceFlags flags, bool remote, ActivityKind kind) => sampler.ShouldSample(new SamplingParameters(
            new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), flags, isRemote: remote),
            ActivityTraceId.CreateRandom(), "span", kind)).Decision;

        Assert.Multiple(() =>
        {
            Assert.That(Decide(ActivityTraceFlags.Recorded, remote: true, ActivityKind.Consumer), Is.EqualTo(SamplingDecision.RecordAndSample), "a sampled order stays sampled in the next service");
            Assert.That(Decide(ActivityTraceFlags.None, remote: true, ActivityKind.Consumer), Is.EqualTo(SamplingDecision.Drop), "an unsampled order stays unsampled");
            Assert.That(Decide(ActivityTraceFlags.None, remote: true, ActivityKind.Server), Is.EqualTo(SamplingDecision.RecordAndSample),
                "a webhook whose caller did not sample it is sampled within our budget");
        });
    }
}
