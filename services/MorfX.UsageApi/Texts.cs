namespace MorfX.UsageApi;

/// <summary>Every Spanish text of the usage API a user reads: the details of its problem responses.</summary>
static class Texts
{
    // Query parameters of the SMS usage endpoints.
    public static string InvalidPeriod(IEnumerable<string> allowed) => $"El período no es válido; usa uno de: {string.Join(", ", allowed)}.";
    public const string InvalidTimeZone = "La zona horaria no es válida; usa un identificador IANA, por ejemplo America/Bogota.";
}
