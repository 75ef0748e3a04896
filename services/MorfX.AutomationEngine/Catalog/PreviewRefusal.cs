namespace MorfX.AutomationEngine.Catalog;

/// <summary>Why a preview was refused: the code, the Spanish detail, and the field it is about with that field's own detail.</summary>
public record PreviewRefusal(string Code, string Detail, string Field, string FieldDetail);
