namespace MorfX.AutomationEngine.Catalog;

public record PreviewResult(string Text, IReadOnlyList<string> UnknownVariables, string Encoding, int Segments, int Characters);
