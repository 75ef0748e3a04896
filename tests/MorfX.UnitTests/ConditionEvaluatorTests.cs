using MorfX.AutomationEngine.Automations;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>Whether an automation's conditions hold for an order, as the merchant set them in the wizard.</summary>
public class ConditionEvaluatorTests
{
    static readonly Dictionary<string, string?> Order = new()
    {
        ["orden.estado_pago"] = "paid",
        ["orden.total"] = "120000.00",
        ["orden.tags"] = "Mayorista, promo",
        ["orden.notas"] = "   ",
        ["cliente.email"] = null,
    };

    static bool Holds(string? field, string? op, string? value, IReadOnlyDictionary<string, string?>? previous = null) =>
        ConditionEvaluator.All([new Condition(field, op, value)], Order, previous);

    [TestCase("orden.estado_pago", "paid", true)]
    [TestCase("orden.estado_pago", " PAID ", true)]
    [TestCase("orden.estado_pago", "pending", false)]
    [TestCase("cliente.email", "", false)]
    [TestCase("orden.no_existe", "paid", false)]
    public void Equals_ignores_case_and_surrounding_spaces(string field, string value, bool expected) =>
        Assert.That(Holds(field, Operators.EqualsTo, value), Is.EqualTo(expected));

    [TestCase("mayorista", true)]
    [TestCase("PROMO", true)]
    [TestCase("vip", false)]
    public void Contains_finds_text_whatever_its_case(string value, bool expected) =>
        Assert.That(Holds("orden.tags", Operators.Contains, value), Is.EqualTo(expected));

    [TestCase(Operators.GreaterThan, "100000", true)]
    [TestCase(Operators.GreaterThan, "120000", false)]
    [TestCase(Operators.GreaterThan, "59.90", true)]
    [TestCase(Operators.LessThan, "200000", true)]
    [TestCase(Operators.LessThan, "120000.00", false)]
    public void Numbers_compare_as_numbers_not_as_text(string op, string value, bool expected) =>
        Assert.That(Holds("orden.total", op, value), Is.EqualTo(expected));

    [Test]
    public void A_comparison_with_something_that_is_not_a_number_does_not_hold()
    {
        Assert.That(Holds("orden.total", Operators.GreaterThan, "mucho"), Is.False);
        Assert.That(Holds("orden.estado_pago", Operators.LessThan, "100"), Is.False);
    }

    [TestCase("orden.notas", true)]
    [TestCase("cliente.email", true)]
    [TestCase("orden.no_existe", true)]
    [TestCase("orden.estado_pago", false)]
    public void Is_empty_holds_for_missing_null_and_blank_values(string field, bool expected) =>
        Assert.That(Holds(field, Operators.IsEmpty, null), Is.EqualTo(expected));

    [Test]
    public void Changed_to_holds_only_when_the_value_just_became_the_one_asked_for()
    {
        var pending = new Dictionary<string, string?> { ["orden.estado_pago"] = "pending" };
        var alreadyPaid = new Dictionary<string, string?> { ["orden.estado_pago"] = "Paid" };

        Assert.That(Holds("orden.estado_pago", Operators.ChangedTo, "paid", pending), Is.True, "pending -> paid");
        Assert.That(Holds("orden.estado_pago", Operators.ChangedTo, "paid", alreadyPaid), Is.False, "paid -> paid is no change");
        Assert.That(Holds("orden.estado_pago", Operators.ChangedTo, "paid", null), Is.True, "an order never seen before counts as a change");
        Assert.That(Holds("orden.estado_pago", Operators.ChangedTo, "refunded", pending), Is.False, "changed, but to something else");
    }

    [Test]
    public void Every_condition_must_hold_and_none_means_always()
    {
        Condition paid = new("orden.estado_pago", Operators.EqualsTo, "paid"), big = new("orden.total", Operators.GreaterThan, "500000");

        Assert.That(ConditionEvaluator.All([paid], Order, null), Is.True);
        Assert.That(ConditionEvaluator.All([paid, big], Order, null), Is.False);
        Assert.That(ConditionEvaluator.All([], Order, null), Is.True);
    }

    [Test]
    public void An_unknown_operator_never_holds() =>
        Assert.That(Holds("orden.estado_pago", "starts_with", "pa"), Is.False);
}
