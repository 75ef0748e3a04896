using System.Text;

namespace MorfX.Rules;

/// <summary>
/// Twilio's Smart Encoding: with SmartEncoded=true (or a Messaging Service that has it on) Twilio replaces Unicode look-alikes
/// of GSM-7 characters — curly quotes, long dashes, the ellipsis, odd spaces, full-width forms — before sending, and the message
/// it keeps has the replaced body. The table follows Twilio's published character list (its most common entries). A body
/// MorfX recorded and the body Twilio kept are the same text when <see cref="Equivalent"/> says so, whichever side was replaced.
/// </summary>
public static class SmartEncoding
{
    static readonly Dictionary<char, string> Replacements = Build();

    /// <summary>The body as Twilio sends it after Smart Encoding.</summary>
    public static string Apply(string body)
    {
        StringBuilder? replaced = null;
        for (var i = 0; i < body.Length; i++)
        {
            if (Replacements.TryGetValue(body[i], out var gsm)) (replaced ??= new StringBuilder(body, 0, i, body.Length)).Append(gsm);
            else replaced?.Append(body[i]);
        }
        return replaced?.ToString() ?? body;
    }

    /// <summary>Whether two bodies differ at most by Smart Encoding's replacements (null counts as empty: an MMS without text).</summary>
    public static bool Equivalent(string? a, string? b) => Apply(a ?? "") == Apply(b ?? "");

    static Dictionary<char, string> Build()
    {
        var map = new Dictionary<char, string>();
        void Add(string from, string to)
        {
            foreach (var c in from) map[c] = to;
        }
        // Full-width ASCII (！ to ～) is its ASCII character.
        for (var c = '\uFF01'; c <= '\uFF5E'; c++) map[c] = ((char)(c - 0xFEE0)).ToString();
        Add("«»“”„‟ʺˮ❝❞〝〞", "\"");
        Add("‘’‚‛ʻʼʽʹˈˊˋ´`❛❜", "'");
        Add("‐–—―⁃﹣⎼⎽", "-");
        Add("\u00A0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u202F\u205F\u3000\u2028\u2029", " ");
        Add("÷⁄∕⧸", "/");
        Add("‹", "<");
        Add("›", ">");
        Add("∗⁎", "*");
        Add("˖", "+");
        Add("。", ".");
        map['…'] = "...";
        map['‼'] = "!!";
        map['¼'] = "1/4";
        map['½'] = "1/2";
        map['¾'] = "3/4";
        return map;
    }
}
