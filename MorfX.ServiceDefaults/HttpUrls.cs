namespace MorfX.ServiceDefaults;

/// <summary>The check every setting that holds an address gets at start-up: absolute, http or https.</summary>
public static class HttpUrls
{
    public static bool IsAbsoluteHttp(Uri? uri) =>
        uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public static bool IsAbsoluteHttp(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && IsAbsoluteHttp(uri);
}
