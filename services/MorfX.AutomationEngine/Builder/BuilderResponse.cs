using MorfX.AutomationEngine.Apis;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;

namespace MorfX.AutomationEngine.Builder;

public record BuilderResponse(string Reply, AutomationDraft? Draft, ValidationResult? Validation, AutomationDto? Automation);
