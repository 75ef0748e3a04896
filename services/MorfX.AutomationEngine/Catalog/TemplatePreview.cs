using System.Text.Json;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Limits;
using MorfX.Rules;

namespace MorfX.AutomationEngine.Catalog;

/// <summary>
/// A template rendered as a saved one would be, with the trigger's sample data or the data given, bounded the same way
/// (length, nesting, output, time, list sizes): the text, its unknown variables, and how Twilio will split it.
/// </summary>
public static class TemplatePreview
{
    public const string DataTooLarge = "preview_data_too_large";

    public static (PreviewResult? Result, PreviewRefusal? Refusal) Render(string? triggerKey, string? template, JsonElement? data, EngineLimitsOptions limits)
    {
        if (AutomationCatalog.Trigger(triggerKey) is not { } trigger)
            return Refused(AutomationValidator.Codes.UnknownTrigger, Texts.UnknownTrigger(triggerKey),
                "trigger", Texts.PreviewChooseTrigger);
        if (template is null)
            return Refused(AutomationValidator.Codes.FieldRequired, Texts.PreviewTemplateRequired, "template", Texts.PreviewTemplateRequired);
        if (TemplateBounds.Check(template, limits) is { } refused)
            return Refused(refused.Code, refused.Detail, "template", refused.Detail);
        if (data is { ValueKind: JsonValueKind.Object } json && TemplateData.LongestList(json) > limits.PreviewMaxListItems)
            return Refused(DataTooLarge, Texts.PreviewDataTooLarge(limits.PreviewMaxListItems),
                "data", Texts.PreviewDataListLimit(limits.PreviewMaxListItems));

        var values = data is { ValueKind: JsonValueKind.Object } given ? TemplateData.FromJson(given) : AutomationCatalog.SampleData(trigger);
        string text;
        try
        {
            text = TemplateRenderer.Render(template, values, limits);
        }
        catch (TemplateException e)
        {
            var detail = e.Code == AutomationValidator.Codes.InvalidTemplate ? Texts.TemplateInvalid(e.Message) : e.Message;
            return Refused(e.Code, detail, "template", e.Message);
        }
        var (encoding, segments) = SmsSegments.Calculate(text);
        return (new PreviewResult(text, TemplateRenderer.UnknownVariables(template, trigger), encoding, segments, text.Length), null);
    }

    static (PreviewResult?, PreviewRefusal?) Refused(string code, string detail, string field, string fieldDetail) =>
        (null, new PreviewRefusal(code, detail, field, fieldDetail));
}
