using MorfX.ServiceDefaults;

namespace MorfX.AutomationEngine.Apis;

public record ValidationResult(bool Valid, IReadOnlyList<FieldError> Errors);
