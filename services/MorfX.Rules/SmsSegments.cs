namespace MorfX.Rules;

/// <summary>How Twilio will split a body: 160 GSM-7 characters (153 per part) or 70 UCS-2 (67 per part).</summary>
public static class SmsSegments
{
    public const string Gsm7 = "GSM-7";
    public const string Ucs2 = "UCS-2";

    const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    const string Extension = "^{}\\[~]|€\f";

    static readonly HashSet<char> BasicSet = [.. Basic];
    static readonly HashSet<char> ExtensionSet = [.. Extension];

    /// <summary>The encoding and the number of segments (at least 1) of an SMS body.</summary>
    public static (string Encoding, int Segments) Calculate(string body)
    {
        var septets = 0;
        foreach (var c in body)
        {
            if (BasicSet.Contains(c)) septets += 1;
            else if (ExtensionSet.Contains(c)) septets += 2;
            else return (Ucs2, Count(body.Length, 70, 67));
        }
        return (Gsm7, Count(septets, 160, 153));
    }

    static int Count(int units, int single, int perPart) => units <= single ? 1 : (units + perPart - 1) / perPart;
}
