namespace MorfX.WebhookIngest.Apis;

/// <summary>Reads a request body as raw bytes (signatures are computed over them), refusing more than the limit.</summary>
public static class WebhookBodies
{
    /// <summary>The body, or null when it is larger than maxBytes (checked on Content-Length first, then while reading).</summary>
    public static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
