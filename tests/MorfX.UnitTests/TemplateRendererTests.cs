using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Limits;
using MorfX.Contracts;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>What a merchant's template renders to (the preview and the SMS use the same renderer), and what it may name.</summary>
public class TemplateRendererTests
{
    // A generous time budget: the first render of a template includes compiling it, slow on a loaded machine (not what these tests check).
    static readonly EngineLimitsOptions Limits = new() { RenderTimeout = TimeSpan.FromSeconds(10) };
    static readonly TriggerDefinition OrderCreated = AutomationCatalog.Trigger(TriggerNames.ShopifyOrderCreated)!;
    static readonly Dictionary<string, object?> Sample = AutomationCatalog.SampleData(OrderCreated);

    static string Render(string template) => TemplateRenderer.Render(template, Sample, Limits);

    [Test]
    public void Variables_are_filled_from_the_trigger_data() =>
        Assert.That(Render("Hola {{cliente.nombre}}, tu orden {{orden.numero}} por {{orden.total}} {{orden.moneda}}"),
            Is.EqualTo("Hola María, tu orden #1001 por 120000.00 COP"));

    [Test]
    public void A_missing_value_renders_empty_and_the_result_is_trimmed() =>
        Assert.That(Render("  {{orden.no_existe}}Hola {{cliente.apodo}}  "), Is.EqualTo("Hola"));

    [Test]
    public void Sms_text_is_not_html_escaped()
    {
        var data = new Dictionary<string, object?> { ["orden"] = new Dictionary<string, object?> { ["notas"] = "<b>Tom & Jerry's</b>" } };
        Assert.That(TemplateRenderer.Render("{{orden.notas}}", data, Limits), Is.EqualTo("<b>Tom & Jerry's</b>"));
    }

    [Test]
    public void A_product_list_on_its_own_reads_as_text() =>
        Assert.That(Render("{{orden.productos}}"), Is.EqualTo("2 x Camiseta negra, 1 x Gorra"));

    [Test]
    public void Each_lists_the_products_with_their_own_fields() =>
        Assert.That(Render("{{#each orden.productos}}{{cantidad}}x{{sku}}{{#if variante}} ({{variante}}){{/if}};{{/each}}"),
            Is.EqualTo("2xCAM-001 (M);1xGOR-002;"));

    [Test]
    public void A_malformed_template_is_refused_with_invalid_template()
    {
        Assert.That(TemplateRenderer.SyntaxError("Hola {{#if cliente.nombre}}sin cerrar"), Is.Not.Null);
        Assert.That(TemplateRenderer.SyntaxError("Hola {{#if cliente.nombre}}{{cliente.nombre}}{{/if}}"), Is.Null);
        var e = Assert.Throws<TemplateException>(() => Render("Hola {{#if cliente.nombre}}sin cerrar"))!;
        Assert.That(e.Code, Is.EqualTo("invalid_template"));
    }

    [Test]
    public void Variables_the_trigger_does_not_offer_are_named()
    {
        Assert.That(TemplateRenderer.UnknownVariables("{{cliente.nombre}} {{cliente.apodo}} {{orden.cupon}} {{cliente.apodo}}", OrderCreated),
            Is.EqualTo(new[] { "cliente.apodo", "orden.cupon" }));
        Assert.That(TemplateRenderer.UnknownVariables("{{mensaje.texto}}", AutomationCatalog.Trigger(TriggerNames.CrmContactCreated)!),
            Is.EqualTo(new[] { "mensaje.texto" }), "a WhatsApp variable is not offered by a CRM trigger");
    }

    [Test]
    public void Inside_each_the_fields_of_a_product_are_known_and_other_names_are_not()
    {
        const string loop = "{{#each orden.productos}}{{sku}} {{this.nombre}} {{../orden.numero}} {{color}}{{/each}}";
        Assert.That(TemplateRenderer.UnknownVariables(loop, OrderCreated), Is.EqualTo(new[] { "color" }));
        Assert.That(TemplateRenderer.UnknownVariables("{{#each orden.cupones}}{{codigo}}{{/each}}", OrderCreated), Does.Contain("orden.cupones"));
    }

    [Test]
    public void The_render_refuses_a_loop_inside_a_loop_before_running_it()
    {
        const string nested = "{{#each orden.productos}}{{#each ../orden.productos}}{{sku}}{{/each}}{{/each}}";
        var e = Assert.Throws<TemplateException>(() => Render(nested))!;
        Assert.That(e.Code, Is.EqualTo("template_too_nested"));
    }

    [Test]
    public void Output_up_to_the_limit_renders_and_one_character_more_is_refused()
    {
        var limits = new EngineLimitsOptions { RenderedMaxLength = 100, RenderTimeout = Limits.RenderTimeout };
        Dictionary<string, object?> With(int length) =>
            new() { ["orden"] = new Dictionary<string, object?> { ["notas"] = new string('n', length) } };

        Assert.That(TemplateRenderer.Render("{{orden.notas}}", With(100), limits), Has.Length.EqualTo(100));
        var e = Assert.Throws<TemplateException>(() => TemplateRenderer.Render("{{orden.notas}}", With(101), limits))!;
        Assert.That(e.Code, Is.EqualTo("template_output_too_long"));
        Assert.That(e.Message, Does.Contain("100 caracteres"), "the Spanish detail states the limit");
    }
}
