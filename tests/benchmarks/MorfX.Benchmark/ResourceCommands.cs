using System.Buffers.Binary;
using System.Net;
using System.Text;

/// <summary>
/// The AppHost's resource commands (the dashboard's Start, Stop and Restart: resource-start, resource-stop, resource-restart),
/// called as the dashboard calls them: ExecuteResourceCommand on the AppHost's resource service (gRPC over HTTP/2, unsecured
/// in the AppHost's http launch profile, ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL). The request has two string fields, so it is
/// framed by hand rather than with a generated client.
/// </summary>
sealed class ResourceCommands(string endpoint)
{
    readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(120) };

    /// <summary>Runs the command; throws unless the AppHost answers that it succeeded.</summary>
    public async Task RunAsync(string resource, string command)
    {
        byte[] message = [.. Field(1, command), .. Field(2, resource)]; // ResourceCommandRequest: command_name, resource_name
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{endpoint}/aspire.v1.DashboardService/ExecuteResourceCommand")
        {
            Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact, Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new("application/grpc");
        request.Headers.TE.Add(new("trailers"));
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        var status = Header(response, "grpc-status");
        if (status != "0") throw new InvalidOperationException($"{command} {resource}: gRPC status {status} {Header(response, "grpc-message")}");
        // ResourceCommandResponse: kind (field 1, varint; 1 = succeeded), error_message (field 2).
        var kind = body.Length > 6 && body[5] == 0x08 ? body[6] : 0;
        if (kind != 1) throw new InvalidOperationException($"{command} {resource}: {Encoding.UTF8.GetString(body.AsSpan(Math.Min(body.Length, 5)))}");
    }

    static byte[] Field(int number, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length > 127) throw new ArgumentException("a name of at most 127 bytes", nameof(value));
        return [(byte)(number << 3 | 2), (byte)bytes.Length, .. bytes];
    }

    static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var t) ? t.First() : response.Headers.TryGetValues(name, out var h) ? h.First() : null;
}
