using System.Text.Json;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.AutomationEngine.Limits;
using MorfX.Contracts;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>What the wizard is told when a draft cannot be saved: each problem at its field, with a stable code.</summary>
public class AutomationValidatorTests
{
    static readonly WorkspaceIntegrations AllActive = new(TwilioActive: true, ShopifyActive: true, AutoSyncOrders: true);
    static readonly EngineLimitsOptions Limits = new();

    static ActionStep Step(string type, params (string Key, object Value)[] config) =>
        new(type, config.ToDictionary(c => c.Key, c => JsonSerializer.SerializeToElement(c.Value)));

    static ActionStep Sms(string to = "{{cliente.telefono}}", string body = "Hola {{cliente.nombre}}") =>
        Step("send_sms", ("to", to), ("body", body));

    static AutomationDraft Draft(
        string trigger = TriggerNames.ShopifyOrderCreated, List<Condition>? conditions = null, params ActionStep[] actions) =>
        new("Confirmación de orden", trigger, conditions ?? [], actions.Length == 0 ? [Sms()] : actions.ToList());

    static List<(string Field, string Code)> Errors(AutomationDraft draft, WorkspaceIntegrations? integrations = null) =>
        [.. AutomationValidator.Validate(draft, integrations ?? AllActive, Limits).Select(e => (e.Field, e.Code))];

    /// <summary>The errors of an order_created draft with these actions.</summary>
    static List<(string Field, string Code)> ActionErrors(params ActionStep[] actions) => Errors(Draft(actions: actions));

    /// <summary>Exactly one error.</summary>
    static (string Field, string Code)[] Only(string field, string code) => [(field, code)];

    [Test]
    public void A_complete_draft_has_no_errors() =>
        Assert.That(Errors(Draft(conditions: [new("orden.total", Operators.GreaterThan, "100000")],
            actions: [Sms(), Step("create_task", ("title", "Llamar a {{cliente.nombre}}"), ("dueInHours", "24"))])), Is.Empty);

    [Test]
    public void An_empty_draft_names_each_missing_part()
    {
        var errors = AutomationValidator.Validate(new AutomationDraft(" ", null, null, null), AllActive, Limits);

        Assert.That(errors.Select(e => (e.Field, e.Code)), Is.EquivalentTo(new[]
            { ("name", "name_required"), ("trigger", "trigger_required"), ("actions", "actions_required") }));
        Assert.That(errors.Select(e => e.Detail), Has.All.Not.Empty, "every error has a Spanish detail");
    }

    [Test]
    public void An_unknown_trigger_or_action_is_named()
    {
        Assert.That(Errors(Draft("shopify.order_paid")), Does.Contain(("trigger", "unknown_trigger")));
        Assert.That(ActionErrors(Step("send_email", ("to", "x"))), Is.EqualTo(Only("actions[0].type", "unknown_action")));
    }

    [Test]
    public void A_trigger_or_action_whose_integration_is_not_active_is_refused()
    {
        var nothing = new WorkspaceIntegrations(false, false, true);
        Assert.That(Errors(Draft(), nothing), Is.EquivalentTo(new[]
            { ("trigger", "shopify_not_configured"), ("actions[0].type", "twilio_not_configured") }));
        Assert.That(Errors(Draft(TriggerNames.CrmContactCreated, actions: Sms("{{contacto.telefono}}", "Hola")), nothing),
            Is.EqualTo(Only("actions[0].type", "twilio_not_configured")), "a CRM trigger needs no integration");
    }

    [Test]
    public void Missing_and_unknown_action_fields_are_named_at_their_path()
    {
        Assert.That(ActionErrors(Step("send_sms", ("to", "{{cliente.telefono}}"))),
            Is.EqualTo(Only("actions[0].config.body", "field_required")));
        var tag = Step("add_tag", ("contactId", "{{contacto.id}}"), ("tag", "vip"), ("color", "rojo"));
        Assert.That(ActionErrors(Sms(), tag),
            Is.EqualTo(Only("actions[1].config.color", "unknown_field")));
    }

    [TestCase("3001234567", "invalid_phone")]
    [TestCase("+57 300 123 4567", "invalid_phone")]
    [TestCase("{{cliente.celular}}", "unknown_variable")]
    public void A_recipient_must_be_e164_or_a_known_variable(string to, string code) =>
        Assert.That(ActionErrors(Sms(to)), Is.EqualTo(Only("actions[0].config.to", code)));

    [TestCase("+573001234567")]
    [TestCase("{{ cliente.telefono }}")]
    public void A_recipient_in_e164_or_as_a_variable_is_accepted(string to) => Assert.That(ActionErrors(Sms(to)), Is.Empty);

    [Test]
    public void A_template_with_an_unknown_variable_or_bad_syntax_is_refused()
    {
        Assert.That(ActionErrors(Sms(body: "Hola {{cliente.apodo}}")), Is.EqualTo(Only("actions[0].config.body", "unknown_variable")));
        Assert.That(ActionErrors(Sms(body: "Hola {{#if cliente.nombre}}sin cerrar")),
            Is.EqualTo(Only("actions[0].config.body", "invalid_template")));
    }

    [Test]
    public void Text_over_a_limit_is_refused_with_the_limits_code()
    {
        Assert.That(ActionErrors(Sms(body: new string('a', 1601))), Is.EqualTo(Only("actions[0].config.body", "body_too_long")));
        Assert.That(ActionErrors(Sms(body: new string('a', 1600))), Is.Empty, "1,600 characters is Twilio's own limit");
        var longDescription = new string('d', Limits.TemplateMaxLength + 1);
        Assert.That(ActionErrors(Step("create_task", ("title", "Llamar"), ("description", longDescription))),
            Is.EqualTo(Only("actions[0].config.description", "template_too_long")));
        var nested = "{{#each orden.productos}}{{#each ../orden.productos}}{{sku}}{{/each}}{{/each}}";
        Assert.That(ActionErrors(Sms(body: nested)), Is.EqualTo(Only("actions[0].config.body", "template_too_nested")));
    }

    [Test]
    public void Media_urls_and_numbers_are_checked_by_type()
    {
        var mediaUrls = new[] { "https://x.co/a.jpg", "ftp://x.co/b.jpg" };
        Assert.That(ActionErrors(Step("send_sms", ("to", "+573001234567"), ("body", "Foto"), ("mediaUrls", mediaUrls))),
            Is.EqualTo(Only("actions[0].config.mediaUrls", "invalid_media_url")));
        Assert.That(ActionErrors(Step("create_task", ("title", "Llamar"), ("dueInHours", "mañana"))),
            Is.EqualTo(Only("actions[0].config.dueInHours", "invalid_number")));
    }

    [Test]
    public void More_actions_than_the_limit_are_refused_as_a_whole() =>
        Assert.That(ActionErrors([.. Enumerable.Repeat(Sms(), Limits.MaxActionsPerAutomation + 1)]),
            Is.EqualTo(Only("actions", "too_many_actions")));

    [TestCase("orden.cupon", Operators.EqualsTo, "x", "conditions[0].field", "unknown_variable")]
    [TestCase("orden.total", "between", "1", "conditions[0].operator", "invalid_operator")]
    [TestCase("orden.total", Operators.GreaterThan, "mucho", "conditions[0].value", "invalid_number")]
    [TestCase("orden.estado_pago", Operators.EqualsTo, "", "conditions[0].value", "value_required")]
    [TestCase("orden.estado_pago", Operators.ChangedTo, "paid", "conditions[0].operator", "changed_to_not_supported")]
    public void A_bad_condition_is_named_at_its_part(string field, string op, string value, string at, string code) =>
        Assert.That(Errors(Draft(conditions: [new(field, op, value)])), Is.EqualTo(Only(at, code)));

    [Test]
    public void Changed_to_and_is_empty_are_accepted_where_they_make_sense()
    {
        Assert.That(Errors(Draft(TriggerNames.ShopifyOrderUpdated, [new("orden.estado_pago", Operators.ChangedTo, "paid")])), Is.Empty);
        Assert.That(Errors(Draft(conditions: [new("orden.notas", Operators.IsEmpty, null)])), Is.Empty, "is_empty needs no value");
    }
}
