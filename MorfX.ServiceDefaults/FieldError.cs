namespace MorfX.ServiceDefaults;

/// <summary>A field that failed validation: a stable code and a Spanish explanation.</summary>
public record FieldError(string Field, string Code, string Detail);
