using System.Text.RegularExpressions;
using MorfX.Rules;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Integrations;

/// <summary>Field rules of the integration forms; each broken rule is a field error with a stable code and a Spanish detail.</summary>
public static partial class IntegrationValidation
{
    [GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    private static partial Regex AccountSidPattern();

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryPattern();

    public static (TwilioInput? Input, List<FieldError> Errors) Twilio(TwilioSettingsRequest request, bool hasStoredToken)
    {
        var errors = new List<FieldError>();
        var sid = request.AccountSid?.Trim() ?? "";
        if (sid.Length == 0)
            errors.Add(new("accountSid", "required", Texts.AccountSidRequired));
        else if (!AccountSidPattern().IsMatch(sid))
            errors.Add(new("accountSid", "invalid_account_sid", Texts.AccountSidInvalid));

        var token = NewSecret(request.AuthToken);
        if (token is null && !hasStoredToken)
            errors.Add(new("authToken", "required", Texts.AuthTokenRequired));

        var phone = request.PhoneNumber?.Trim() ?? "";
        if (phone.Length == 0)
            errors.Add(new("phoneNumber", "required", Texts.TwilioPhoneRequired));
        else if (!PhoneNumbers.IsE164(phone))
            errors.Add(new("phoneNumber", "invalid_phone", Texts.PhoneInvalid));

        return errors.Count > 0 ? (null, errors) : (new TwilioInput(sid, token, phone), errors);
    }

    public static List<FieldError> TestPhone(string? phoneNumber, out string phone)
    {
        phone = phoneNumber?.Trim() ?? "";
        if (phone.Length == 0) return [new("phoneNumber", "required", Texts.TestPhoneRequired)];
        if (!PhoneNumbers.IsE164(phone)) return [new("phoneNumber", "invalid_phone", Texts.PhoneInvalid)];
        return [];
    }

    /// <param name="stored">The shop domain already saved, null for a first save.</param>
    public static (ShopifyInput? Input, List<FieldError> Errors) Shopify(ShopifySettingsRequest request, string? stored)
    {
        var errors = new List<FieldError>();
        var domain = request.ShopDomain?.Trim().ToLowerInvariant() ?? "";
        if (domain.Length == 0)
            errors.Add(new("shopDomain", "required", Texts.ShopDomainRequired));
        else if (!ShopDomains.IsValid(domain))
            errors.Add(new("shopDomain", "invalid_shop_domain", Texts.ShopDomainInvalid));

        // A different shop has its own access token: the stored one cannot be kept.
        var sameShop = stored is not null && stored == domain;
        var accessToken = NewSecret(request.AccessToken);
        if (accessToken is null && !sameShop)
            errors.Add(new("accessToken", "required", Texts.AccessTokenRequired));
        var clientSecret = NewSecret(request.ClientSecret);
        if (clientSecret is null && stored is null)
            errors.Add(new("clientSecret", "required", Texts.ClientSecretRequired));

        string? country = null;
        if (request.DefaultCountry is { } rawCountry)
        {
            country = rawCountry.Trim().ToUpperInvariant();
            // Only countries whose calling code the phone normaliser knows: another would silently drop local-format phones.
            if (!CountryPattern().IsMatch(country) || !PhoneNumbers.IsKnownCountry(country))
                errors.Add(new("defaultCountry", "invalid_country", Texts.CountryInvalid));
        }

        var clearPrevious = request.PreviousClientSecret is { } p && p.Trim().Length == 0;
        return errors.Count > 0
            ? (null, errors)
            : (new ShopifyInput(domain, accessToken, clientSecret, NewSecret(request.PreviousClientSecret), clearPrevious, country), errors);
    }

    /// <summary>A secret the user typed: null when left out, empty or sent back masked (keep the stored one).</summary>
    static string? NewSecret(string? value) =>
        string.IsNullOrWhiteSpace(value) || Secrets.IsMasked(value) ? null : value.Trim();
}
