using System.Text.RegularExpressions;

namespace MorfX.Rules;

/// <summary>The one E.164 validator and normaliser (docs/protocols.md: `+`, then up to 15 digits, the first not 0).</summary>
public static partial class PhoneNumbers
{
    [GeneratedRegex(@"^\+[1-9]\d{6,14}$")]
    private static partial Regex E164Pattern();

    // Calling codes of the countries MorfX's workspaces use; a default country outside it only accepts numbers already in + form.
    static readonly Dictionary<string, string> CallingCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CO"] = "57", ["US"] = "1", ["CA"] = "1", ["MX"] = "52", ["ES"] = "34", ["AR"] = "54", ["CL"] = "56", ["PE"] = "51",
        ["EC"] = "593", ["VE"] = "58", ["BR"] = "55", ["UY"] = "598", ["PY"] = "595", ["BO"] = "591", ["PA"] = "507",
        ["CR"] = "506", ["GT"] = "502", ["SV"] = "503", ["HN"] = "504", ["NI"] = "505", ["DO"] = "1", ["PR"] = "1",
        ["GB"] = "44", ["DE"] = "49", ["FR"] = "33", ["IT"] = "39", ["PT"] = "351", ["IN"] = "91",
    };

    public static bool IsE164(string? value) => value is not null && E164Pattern().IsMatch(value);

    public static bool IsKnownCountry(string? country) => country is not null && CallingCodes.ContainsKey(country);

    /// <summary>
    /// Messy input (`+1(502)-459-2181`, `555-625-1199`, `00 57 300…`) to E.164 with the workspace's default country;
    /// null when it cannot be a phone number.
    /// </summary>
    public static string? Normalize(string? raw, string defaultCountry)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var trimmed = raw.Trim();
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 0 || trimmed.Any(c => char.IsLetter(c) && c is not ('x' or 'X'))) return null;
        // An extension ("x123") is not part of the number.
        var ext = trimmed.IndexOfAny(['x', 'X']);
        if (ext >= 0) digits = new string(trimmed[..ext].Where(char.IsAsciiDigit).ToArray());

        string candidate;
        if (trimmed.StartsWith('+')) candidate = "+" + digits;
        else if (digits.StartsWith("00")) candidate = "+" + digits[2..];
        else if (CallingCodes.TryGetValue(defaultCountry, out var code))
        {
            var national = digits.TrimStart('0');
            candidate = code == "1" && national.Length == 11 && national.StartsWith('1') ? "+" + national
                : national.StartsWith(code) && national.Length > 10 ? "+" + national
                : "+" + code + national;
        }
        else return null;
        return IsE164(candidate) ? candidate : null;
    }

    /// <summary>A phone number fit for logs: country code and last 4 digits only.</summary>
    public static string Redact(string? phone) =>
        phone is null || phone.Length < 7 ? "****" : phone[..3] + new string('*', phone.Length - 7) + phone[^4..];
}
