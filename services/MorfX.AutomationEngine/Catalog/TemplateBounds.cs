using System.Text.RegularExpressions;
using MorfX.AutomationEngine.Limits;

namespace MorfX.AutomationEngine.Catalog;

/// <summary>
/// What a template may be, checked before it is compiled (at save, at preview and at run): at most
/// <see cref="EngineLimitsOptions.TemplateMaxLength"/> characters, no {{#each}} inside another (one loop over a list is
/// linear in its items; nested loops multiply), no deeper nesting of blocks than <see cref="EngineLimitsOptions.TemplateMaxBlockDepth"/>,
/// and no partials (an inline partial can call itself or hide a loop in a loop).
/// </summary>
public static class TemplateBounds
{
    public static class Codes
    {
        public const string InvalidTemplate = Automations.AutomationValidator.Codes.InvalidTemplate;
        public const string TemplateTooLong = "template_too_long";
        public const string TemplateTooNested = "template_too_nested";
        public const string TemplateOutputTooLong = "template_output_too_long";
        public const string TemplateTooSlow = "template_too_slow";
    }

    public sealed record Refusal(string Code, string Detail);

    public static Refusal? Check(string template, EngineLimitsOptions limits)
    {
        if (template.Length > limits.TemplateMaxLength)
            return new(Codes.TemplateTooLong, Texts.TemplateTooLong(template.Length, limits.TemplateMaxLength));
        var blocks = new Stack<bool>(); // true for an {{#each}}
        foreach (Match m in TemplateRenderer.Mustache().Matches(template))
        {
            var token = m.Groups[1].Value;
            if (token.StartsWith('>') || token.StartsWith("#>") || token.StartsWith("#*"))
                return new(Codes.InvalidTemplate, Texts.TemplatePartials);
            if (token.StartsWith('/')) { if (blocks.Count > 0) blocks.Pop(); continue; }
            if (token[0] is not ('#' or '^')) continue;

            var isEach = Regex.IsMatch(token, @"^#\s*each\b");
            if (isEach && blocks.Contains(true))
                return new(Codes.TemplateTooNested, Texts.TemplateNestedEach);
            blocks.Push(isEach);
            if (blocks.Count > limits.TemplateMaxBlockDepth)
                return new(Codes.TemplateTooNested, Texts.TemplateTooNested(limits.TemplateMaxBlockDepth));
        }
        return null;
    }
}
