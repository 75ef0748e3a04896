using Microsoft.AspNetCore.Http.Features;

namespace MorfX.WebhookIngest.Apis;

/// <summary>
/// Reads a request body as raw bytes (signatures are computed over them), refusing more than the limit: on Content-Length
/// first, then while reading a chunked body. The limit is also handed to the server (MaxRequestBodySize), so once it is
/// passed nothing more is read and the connection is closed instead of drained.
/// </summary>
public static class WebhookBodies
{
    /// <summary>The body, or null when it is larger than maxBytes.</summary>
    public static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return null;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxBytes;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > maxBytes) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.ToArray();
    }
}
