using System.Globalization;
using System.Text.RegularExpressions;
using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Data;
using MorfX.AutomationEngine.Limits;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.ServiceDefaults;

namespace MorfX.AutomationEngine.Automations;

/// <summary>Checks a draft against the catalog and the workspace's integrations; every problem a stable code and a Spanish detail.</summary>
public static partial class AutomationValidator
{
    public static class Codes
    {
        public const string NameRequired = "name_required";
        public const string TriggerRequired = "trigger_required";
        public const string UnknownTrigger = "unknown_trigger";
        public const string ShopifyNotConfigured = "shopify_not_configured";
        public const string TwilioNotConfigured = SmsFailureCodes.TwilioNotConfigured;
        public const string ActionsRequired = "actions_required";
        public const string UnknownAction = "unknown_action";
        public const string UnknownField = "unknown_field";
        public const string FieldRequired = "field_required";
        public const string UnknownVariable = "unknown_variable";
        public const string InvalidTemplate = "invalid_template";
        public const string InvalidPhone = "invalid_phone";
        /// <summary>At run time: the event brought no phone at all for the recipient.</summary>
        public const string NoPhone = "no_phone";
        /// <summary>At run time: the vendor sent data that cannot be processed (a retry would not help).</summary>
        public const string InvalidTriggerData = "invalid_trigger_data";
        public const string InvalidMediaUrl = "invalid_media_url";
        public const string InvalidNumber = "invalid_number";
        public const string InvalidOperator = "invalid_operator";
        public const string ChangedToNotSupported = "changed_to_not_supported";
        public const string ValueRequired = "value_required";
        public const string TooManyActions = "too_many_actions";
        public const string TooManyEnabledAutomations = "too_many_enabled_automations";
        public const string InvalidPurpose = "invalid_purpose";
        public const string InvalidWaitMinutes = "invalid_wait_minutes";
        public const string IntegrationNotConfigured = "integration_not_configured";
        // At run time.
        public const string NoMarketingConsent = "no_marketing_consent";
        public const string FrequencyCapped = "frequency_capped";
        public const string OrderCancelled = "order_cancelled";
        public const string ConditionsNoLongerMet = "conditions_no_longer_met";
        public const string WaitLimitReached = "wait_limit_reached";

        /// <summary>e.g. body_too_long.</summary>
        public static string TooLong(string fieldKey) => fieldKey + "_too_long";
    }

    /// <summary>The reason an integration blocks a trigger or action, or null when it is active.</summary>
    public static (string Code, string Detail)? Blocked(string? requiredIntegration, WorkspaceIntegrations integrations) =>
        requiredIntegration switch
        {
            null => null,
            _ when integrations.IsActive(requiredIntegration) => null,
            IntegrationKinds.Twilio => (Codes.TwilioNotConfigured, Texts.TwilioNotConfigured),
            IntegrationKinds.Shopify => (Codes.ShopifyNotConfigured, Texts.ShopifyNotConfigured),
            _ => (Codes.IntegrationNotConfigured, Texts.IntegrationNotConfigured(requiredIntegration)),
        };

    [GeneratedRegex(@"^\{\{\s*[\w.]+\s*\}\}$")]
    private static partial Regex SingleVariable();

    public static List<FieldError> Validate(AutomationDraft draft, WorkspaceIntegrations integrations, EngineLimitsOptions limits)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(draft.Name))
            errors.Add(new("name", Codes.NameRequired, Texts.NameRequired));

        var trigger = AutomationCatalog.Trigger(draft.Trigger);
        if (string.IsNullOrWhiteSpace(draft.Trigger))
            errors.Add(new("trigger", Codes.TriggerRequired, Texts.TriggerRequired));
        else if (trigger is null)
            errors.Add(new("trigger", Codes.UnknownTrigger, Texts.UnknownTrigger(draft.Trigger)));
        else if (Blocked(trigger.RequiredIntegration, integrations) is { } blocked)
            errors.Add(new("trigger", blocked.Code, blocked.Detail));

        if (draft.Purpose is not null && !Purposes.All.Contains(draft.Purpose))
            errors.Add(new("purpose", Codes.InvalidPurpose, Texts.InvalidPurpose(draft.Purpose)));
        if (draft.SendWindow is { } window && WeeklyWindow.Parse(window.Start, window.End, window.Days).Problem is { } problem)
            errors.Add(new(WindowField("sendWindow", problem), problem, Texts.SendWindowInvalid(problem)));

        if (trigger is not null)
            for (var i = 0; i < (draft.Conditions?.Count ?? 0); i++)
                ValidateCondition(draft.Conditions![i], $"conditions[{i}]", trigger, errors);

        if (draft.Actions is not { Count: > 0 })
            errors.Add(new("actions", Codes.ActionsRequired, Texts.ActionsRequired));
        else if (draft.Actions.Count > limits.MaxActionsPerAutomation)
            errors.Add(new("actions", Codes.TooManyActions,
                Texts.TooManyActions(draft.Actions.Count, limits.MaxActionsPerAutomation)));
        else
            for (var i = 0; i < draft.Actions.Count; i++)
                ValidateAction(draft.Actions[i], $"actions[{i}]", trigger, integrations, limits, errors);
        return errors;
    }

    /// <summary>The field of a window's problem: sendWindow.start, .end or .days (an empty window is its end's).</summary>
    public static string WindowField(string at, string problem) => problem switch
    {
        WeeklyWindow.Codes.InvalidStart => $"{at}.start",
        WeeklyWindow.Codes.InvalidDays => $"{at}.days",
        _ => $"{at}.end",
    };

    static void ValidateCondition(Condition condition, string at, TriggerDefinition trigger, List<FieldError> errors)
    {
        var variable = trigger.Variables.FirstOrDefault(v => v.Path == condition.Field);
        if (variable is null)
            errors.Add(new($"{at}.field", Codes.UnknownVariable, Texts.UnknownConditionVariable(condition.Field, trigger.Label)));
        if (condition.Operator is null || !Operators.All.Contains(condition.Operator))
        {
            errors.Add(new($"{at}.operator", Codes.InvalidOperator, Texts.InvalidOperator(condition.Operator, string.Join(", ", Operators.All))));
            return;
        }
        if (condition.Operator == Operators.ChangedTo && trigger.Key != TriggerNames.ShopifyOrderUpdated)
            errors.Add(new($"{at}.operator", Codes.ChangedToNotSupported, Texts.ChangedToNotSupported));
        if (condition.Operator != Operators.IsEmpty && string.IsNullOrEmpty(condition.Value))
            errors.Add(new($"{at}.value", Codes.ValueRequired, Texts.ValueRequired));
        if (condition.Operator is Operators.GreaterThan or Operators.LessThan
            && !decimal.TryParse(condition.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
            errors.Add(new($"{at}.value", Codes.InvalidNumber, Texts.ConditionValueNotNumber));
    }

    static void ValidateAction(ActionStep step, string at, TriggerDefinition? trigger, WorkspaceIntegrations integrations, EngineLimitsOptions limits, List<FieldError> errors)
    {
        var action = AutomationCatalog.Action(step.Type);
        if (action is null)
        {
            errors.Add(new($"{at}.type", Codes.UnknownAction, Texts.UnknownAction(step.Type)));
            return;
        }
        if (Blocked(action.RequiredIntegration, integrations) is { } blocked)
            errors.Add(new($"{at}.type", blocked.Code, blocked.Detail));

        foreach (var key in (step.Config ?? []).Keys.Where(k => action.Fields.All(f => f.Key != k)))
            errors.Add(new($"{at}.config.{key}", Codes.UnknownField, Texts.UnknownField(action.Label, key)));

        if (action.Key == AutomationCatalog.Actions.Wait && step.Text("minutes") is { Length: > 0 } minutes
            && (!int.TryParse(minutes, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > AutomationCatalog.MaxWaitMinutes))
        {
            errors.Add(new($"{at}.config.minutes", Codes.InvalidWaitMinutes, Texts.WaitMinutesInvalid(AutomationCatalog.MaxWaitMinutes)));
            return;
        }

        foreach (var field in action.Fields)
        {
            var path = $"{at}.config.{field.Key}";
            var values = field.Type == FieldTypes.UrlList ? step.List(field.Key) : step.Text(field.Key) is { Length: > 0 } t ? [t] : [];
            if (values.Count == 0)
            {
                if (field.Required) errors.Add(new(path, Codes.FieldRequired, Texts.FieldRequired(field.Label)));
                continue;
            }
            foreach (var value in values)
                ValidateValue(field, value, path, trigger, limits, errors);
        }
    }

    static void ValidateValue(FieldDefinition field, string value, string path, TriggerDefinition? trigger, EngineLimitsOptions limits, List<FieldError> errors)
    {
        if (value.Length > field.MaxLength)
        {
            errors.Add(new(path, Codes.TooLong(field.Key), Texts.FieldTooLong(field.Label, value.Length, field.MaxLength)));
            return;
        }
        if (TemplateBounds.Check(value, limits) is { } refused)
        {
            errors.Add(new(path, refused.Code, Texts.FieldTemplateRefused(field.Label, refused.Detail)));
            return;
        }
        if (value.Contains("{{"))
        {
            if (TemplateRenderer.SyntaxError(value) is { } syntax)
            {
                errors.Add(new(path, Codes.InvalidTemplate, Texts.FieldTemplateInvalid(field.Label, syntax)));
                return;
            }
            if (trigger is not null)
                foreach (var unknown in TemplateRenderer.UnknownVariables(value, trigger))
                    errors.Add(new(path, Codes.UnknownVariable, Texts.UnknownTemplateVariable(unknown, trigger.Label)));
        }
        var isVariable = SingleVariable().IsMatch(value);
        switch (field.Type)
        {
            case FieldTypes.Phone when !isVariable && !PhoneNumbers.IsE164(value):
                errors.Add(new(path, Codes.InvalidPhone, Texts.FieldPhoneInvalid(value)));
                break;
            case FieldTypes.UrlList when !isVariable && !HttpUrls.IsAbsoluteHttp(value):
                errors.Add(new(path, Codes.InvalidMediaUrl, Texts.FieldUrlInvalid(value)));
                break;
            case FieldTypes.Number when !isVariable && !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _):
                errors.Add(new(path, Codes.InvalidNumber, Texts.FieldNotNumber(field.Label)));
                break;
        }
    }
}
