namespace MorfX.AutomationEngine.Catalog;

/// <summary>A template that cannot be rendered: malformed (invalid_template) or over a limit (template_output_too_long…).</summary>
public sealed class TemplateException(string code, string message) : Exception(message)
{
    public TemplateException(string message) : this(TemplateBounds.Codes.InvalidTemplate, message) { }

    public string Code { get; } = code;
}
