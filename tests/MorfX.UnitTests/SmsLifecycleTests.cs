using System.Text.RegularExpressions;
using MorfX.SmsSender.Lifecycle;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.SmsSender.Lifecycle.SmsState;

namespace MorfX.UnitTests;

/// <summary>
/// The SMS lifecycle (decision 0037): which transitions move which states, and the properties exactly-once and retention
/// rely on: a message once at Twilio is never lost, every state can end somewhere retention may delete, and the stored
/// names are the ones the migration allows.
/// </summary>
public partial class SmsLifecycleTests
{
    static readonly SmsState[] Unsent = [Sending, Ambiguous, Parked, ParkedAmbiguous];
    static readonly SmsState[] WithoutMessage = [.. Unsent, Failed, Skipped];

    static IEnumerable<(SmsState, SmsState)> To(SmsState to, params SmsState[] from) => from.Select(f => (f, to));

    static readonly Dictionary<string, (SmsState From, SmsState To)[]> Expected = new()
    {
        ["claim"] = [(Parked, Sending), (ParkedAmbiguous, Ambiguous), (Sending, Ambiguous), (Ambiguous, Ambiguous)],
        ["become ambiguous"] = [(Sending, Ambiguous), (Ambiguous, Ambiguous)],
        ["release"] = [(Sending, Parked), (Ambiguous, ParkedAmbiguous)],
        ["mark sent"] = [.. To(Sent, WithoutMessage)],
        ["claim by callback"] = [.. To(Sent, Unsent)],
        ["fail"] = [.. To(Failed, WithoutMessage)],
        ["skip"] = [.. To(Skipped, WithoutMessage)],
        ["finish"] = [(Sent, Sent), (Settled, Sent)],
        ["finish for redelivery"] = [(Sent, RedeliveryDue), (Settled, RedeliveryDue)],
        ["finish priced for redelivery"] = [(Sent, RedeliveryDue), (Settled, RedeliveryDueChecked)],
        ["end checks"] = [(Sent, Settled), (RedeliveryDue, RedeliveryDueChecked)],
        ["hand over"] = [(RedeliveryDue, Sent), (RedeliveryDueChecked, Settled)],
    };

    static IEnumerable<(SmsState From, SmsState To)> Moves => SmsLifecycle.All.SelectMany(t => t.Moves.Select(m => (m.Key, m.Value)));

    [Test]
    public void The_transition_table_is_the_one_the_decision_record_draws()
    {
        Assert.That(SmsLifecycle.All.Select(t => t.Name), Is.EquivalentTo(Expected.Keys));
        foreach (var transition in SmsLifecycle.All)
            Assert.That(transition.Moves.Select(m => (m.Key, m.Value)), Is.EquivalentTo(Expected[transition.Name]), transition.Name);
    }

    [Test]
    public void Every_state_is_reachable_from_a_recorded_request()
    {
        var reached = new HashSet<SmsState>(SmsLifecycle.Initial);
        while (Moves.Where(m => reached.Contains(m.From)).Select(m => m.To).Where(reached.Add).ToList().Count > 0) { }
        Assert.That(reached, Is.EquivalentTo(Enum.GetValues<SmsState>()));
    }

    [Test]
    public void Every_state_can_end_where_retention_may_delete_it()
    {
        foreach (var state in Enum.GetValues<SmsState>())
        {
            var reached = new HashSet<SmsState> { state };
            while (Moves.Where(m => reached.Contains(m.From)).Select(m => m.To).Where(reached.Add).ToList().Count > 0) { }
            Assert.That(reached.Intersect(SmsLifecycle.Finished), Is.Not.Empty, $"{state} never ends");
        }
    }

    [Test]
    public void A_message_at_Twilio_is_never_lost_and_a_sid_wins_over_an_end_without_one()
    {
        Assert.That(Moves.Where(m => SmsLifecycle.HasMessage(m.From) && !SmsLifecycle.HasMessage(m.To)), Is.Empty);
        Assert.That(SmsLifecycle.All.Where(t => t.Moves.Keys.Any(s => s is Failed or Skipped) && t.Moves.Values.Any(SmsLifecycle.HasMessage))
            .Select(t => t.Name), Is.EquivalentTo(new[] { "mark sent" }), "only the fenced sid write leaves failed or skipped");
    }

    [Test]
    public void Only_a_request_without_an_outcome_is_sent_and_only_a_leased_one_is_released()
    {
        Assert.That(Enum.GetValues<SmsState>().Where(s => !SmsLifecycle.IsDone(s)), Is.EquivalentTo(Unsent));
        Assert.That(SmsLifecycle.Leased, Is.EquivalentTo(SmsLifecycle.Release.From));
        Assert.That(SmsLifecycle.Leased, Is.EquivalentTo(SmsLifecycle.BecomeAmbiguous.From));
        Assert.That(SmsLifecycle.Released, Is.EquivalentTo(new[] { "parked", "parked_ambiguous" }));
        Assert.That(() => SmsLifecycle.Release.Apply(Sent), Throws.InvalidOperationException);
    }

    [Test]
    public void Retention_deletes_only_rows_nothing_is_pending_on()
    {
        Assert.That(SmsLifecycle.Finished, Is.EquivalentTo(new[] { Parked, ParkedAmbiguous, Settled, Failed, Skipped }));
        Assert.That(SmsLifecycle.RetentionCondition,
            Is.EqualTo("state IN ('parked', 'parked_ambiguous', 'settled', 'failed', 'skipped')"));
    }

    [Test]
    public void The_stored_names_are_the_ones_the_migration_allows()
    {
        var sql = File.ReadAllText(Path.Combine(TestInfrastructure.RepoRoot, "services/MorfX.SmsSender/Data/Migrations/0013_sms_state.sql"));
        var allowed = Quoted().Matches(sql[sql.IndexOf("CHECK", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value);
        var names = Enum.GetValues<SmsState>().Select(SmsLifecycle.Name).ToList();
        Assert.That(allowed, Is.EquivalentTo(names));
        Assert.That(names.Select(SmsLifecycle.Parse), Is.EqualTo(Enum.GetValues<SmsState>()));
    }

    [GeneratedRegex("'([a-z_]+)'")]
    private static partial Regex Quoted();
}
