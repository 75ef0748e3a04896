using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Limits;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>The template limits as pure rules: what a template may be, and where rendering stops.</summary>
public class TemplateBoundsTests
{
    // A generous time budget: the first render of a template includes compiling it, slow on a loaded machine (only
    // Rendering_past_its_time_budget_stops_with_template_too_slow is about time, and it sets its own).
    static readonly EngineLimitsOptions Limits = new() { RenderTimeout = TimeSpan.FromSeconds(10) };

    static string? CodeOf(string template) => TemplateBounds.Check(template, Limits)?.Code;

    [Test]
    public void One_each_over_the_products_is_allowed()
    {
        Assert.That(CodeOf("Hola {{cliente.nombre}}: {{#each orden.productos}}{{cantidad}} x {{nombre}}{{#if sku}} ({{sku}}){{/if}}. {{/each}}"), Is.Null);
        Assert.That(CodeOf("{{#each orden.productos}}{{nombre}}{{/each}} y {{#each orden.productos}}{{sku}}{{/each}}"), Is.Null, "two loops one after the other");
    }

    [Test]
    public void An_each_inside_another_is_refused_however_it_is_hidden()
    {
        Assert.That(CodeOf("{{#each a}}{{#each ../a}}x{{/each}}{{/each}}"), Is.EqualTo("template_too_nested"));
        Assert.That(CodeOf("{{#each a}}{{#if x}}{{#with y}}{{#each ../../a}}x{{/each}}{{/with}}{{/if}}{{/each}}"), Is.EqualTo("template_too_nested"));
        Assert.That(CodeOf("{{~#each a~}}{{~# each b~}}x{{/each}}{{/each}}"), Is.EqualTo("template_too_nested"));
    }

    [Test]
    public void Partials_are_refused_because_they_can_recurse_or_hide_a_loop()
    {
        Assert.That(CodeOf("{{#*inline \"p\"}}{{> p}}{{/inline}}{{> p}}"), Is.EqualTo("invalid_template"));
        Assert.That(CodeOf("{{> otra}}"), Is.EqualTo("invalid_template"));
    }

    [Test]
    public void A_long_or_deeply_nested_template_is_refused()
    {
        Assert.That(CodeOf(new string('x', Limits.TemplateMaxLength + 1)), Is.EqualTo("template_too_long"));
        Assert.That(CodeOf(new string('x', Limits.TemplateMaxLength)), Is.Null);
        var deep = string.Concat(Enumerable.Repeat("{{#if a}}", Limits.TemplateMaxBlockDepth + 1)) + "x" + string.Concat(Enumerable.Repeat("{{/if}}", Limits.TemplateMaxBlockDepth + 1));
        Assert.That(CodeOf(deep), Is.EqualTo("template_too_nested"));
    }

    [Test]
    public void Rendering_stops_at_the_output_limit_instead_of_producing_everything()
    {
        var items = new TemplateList(Enumerable.Range(0, 250).Select(i => (IDictionary<string, object?>)new Dictionary<string, object?> { ["nombre"] = $"p{i}" }));
        var data = new Dictionary<string, object?> { ["orden"] = new Dictionary<string, object?> { ["productos"] = items } };
        var template = "{{#each orden.productos}}" + new string('x', 3_000) + "{{nombre}}{{/each}}"; // 750,000 characters if nothing stopped it

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<TemplateException>(() => TemplateRenderer.Render(template, data, Limits))!;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.That(e.Code, Is.EqualTo("template_output_too_long"));
        TestContext.Out.WriteLine($"allocated while rendering (compilation included): {allocated / 1024} KiB");
        Assert.That(allocated, Is.LessThan(20 * 1024 * 1024), "it stopped near the limit, not after 750,000 characters");
    }

    [Test]
    public void Rendering_past_its_time_budget_stops_with_template_too_slow()
    {
        // A budget already spent: the first write past it stops the render (the budget is checked on every write).
        var limits = new EngineLimitsOptions { RenderTimeout = TimeSpan.FromMilliseconds(-1) };
        var data = new Dictionary<string, object?> { ["cliente"] = new Dictionary<string, object?> { ["nombre"] = "Ana" } };

        var e = Assert.Throws<TemplateException>(() => TemplateRenderer.Render("Hola {{cliente.nombre}}", data, limits))!;

        Assert.That(e.Code, Is.EqualTo("template_too_slow"));
        Assert.That(TemplateRenderer.Render("Hola {{cliente.nombre}}", data, Limits), Is.EqualTo("Hola Ana"));
    }

    [Test]
    public void Waiting_for_a_core_is_not_charged_to_the_template()
    {
        // On a busy machine the rendering thread waits its turn; here a value that takes 150 ms to print, all of it asleep,
        // then forty more writes, so the budget is checked after the wait.
        var limits = new EngineLimitsOptions { RenderTimeout = TimeSpan.FromMilliseconds(50) };
        var data = new Dictionary<string, object?> { ["cliente"] = new Printed("Ana", () => Thread.Sleep(150)), ["p"] = "." };

        var rendered = TemplateRenderer.Render("Hola {{cliente}}" + string.Concat(Enumerable.Repeat("{{p}}", 40)), data, limits);

        Assert.That(rendered, Is.EqualTo("Hola Ana" + new string('.', 40)));
    }

    [Test]
    public void Rendering_that_uses_more_CPU_than_its_budget_stops_with_template_too_slow()
    {
        // Each value burns 10 ms of CPU; forty of them are 400 ms against a budget of 50.
        var limits = new EngineLimitsOptions { RenderTimeout = TimeSpan.FromMilliseconds(50) };
        var data = new Dictionary<string, object?> { ["x"] = new Printed("x", () => Spin(TimeSpan.FromMilliseconds(10))) };

        var e = Assert.Throws<TemplateException>(() => TemplateRenderer.Render(string.Concat(Enumerable.Repeat("{{x}} ", 40)), data, limits))!;

        Assert.That(e.Code, Is.EqualTo("template_too_slow"));
    }

    static void Spin(TimeSpan duration)
    {
        var until = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < until) Thread.SpinWait(100);
    }

    sealed class Printed(string text, Action beforePrinting)
    {
        public override string ToString()
        {
            beforePrinting();
            return text;
        }
    }
}
