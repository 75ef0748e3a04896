using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace MorfX.Rules;

/// <summary>
/// The one rule for a Shopify shop's permanent domain (name.myshopify.com): config-api validates what an admin types with
/// it, and webhook-ingest refuses anything else before it asks config-api about it.
/// </summary>
public static partial class ShopDomains
{
    /// <summary>Lower case, a DNS label of at most 63 characters, then .myshopify.com.</summary>
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}\.myshopify\.com$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid([NotNullWhen(true)] string? domain) => domain is { Length: <= 77 } && Pattern().IsMatch(domain);
}
