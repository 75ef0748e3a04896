using System.Globalization;
using System.Text;

namespace MorfX.SmsSender.OptOuts;

/// <summary>
/// What an inbound SMS asks for (docs/protocols.md, "Opt-out"): Twilio's keywords plus the Spanish ones customers write. A keyword
/// counts only when it is the whole body (surrounding spaces and punctuation aside), case- and accent-insensitive.
/// Twilio's own OptOutType (Advanced Opt-Out) wins when present.
/// </summary>
public static class OptOutKeywords
{
    static readonly HashSet<string> Stop = new(StringComparer.Ordinal)
    {
        "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT",
        "SALIR", "BAJA", "CANCELAR", "ALTO", "DETENER",
    };

    static readonly HashSet<string> Start = new(StringComparer.Ordinal) { "START", "YES", "UNSTOP", "ALTA" };

    public static OptOutChange Classify(string? body, string? optOutType)
    {
        switch (optOutType?.Trim().ToUpperInvariant())
        {
            case "STOP": return OptOutChange.OptOut;
            case "START": return OptOutChange.OptIn;
        }
        var word = Normalize(body);
        return Stop.Contains(word) ? OptOutChange.OptOut : Start.Contains(word) ? OptOutChange.OptIn : OptOutChange.None;
    }

    /// <summary>Upper case, accents removed ("Bája" → "BAJA"), surrounding whitespace and punctuation trimmed ("¡Alto!" → "ALTO").</summary>
    static string Normalize(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return "";
        var decomposed = body.Trim().Normalize(NormalizationForm.FormD);
        var letters = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) letters.Append(c);
        return letters.ToString().Trim().Trim('.', '!', '¡', '?', '¿', ',', ';', ':', '"', '\'').Trim().ToUpperInvariant();
    }
}
