using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using MorfX.Testing;

namespace MorfX.EndToEnd.Tests;

public record ReceivedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// An OTLP/HTTP (protobuf) receiver in the test process: the services export to it with their production exporter
/// (OTEL_EXPORTER_OTLP_ENDPOINT, protocol http/protobuf), so the test sees the traces and metrics ops would see.
/// Reads only the fields it needs from the OTLP protobuf messages (opentelemetry-proto trace/metrics v1).
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    public ConcurrentBag<ReceivedSpan> Spans { get; } = [];
    public ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> MetricsByService { get; } = new();
    RunningService _host = null!;
    public Uri Endpoint => _host.BaseAddress;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        receiver._host = await RunningService.StartAsync((args, configure) =>
        {
            var builder = WebApplication.CreateBuilder(args);
            configure?.Invoke(builder);
            var app = builder.Build();
            app.MapPost("/v1/traces", async (HttpRequest r) => { receiver.ReadTraces(await Body(r)); return Results.Bytes([], "application/x-protobuf"); });
            app.MapPost("/v1/metrics", async (HttpRequest r) => { receiver.ReadMetrics(await Body(r)); return Results.Bytes([], "application/x-protobuf"); });
            app.MapPost("/v1/logs", () => Results.Bytes([], "application/x-protobuf"));
            return app;
        }, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        return receiver;
    }

    static async Task<byte[]> Body(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    void ReadTraces(byte[] data)
    {
        foreach (var resourceSpans in Protobuf.Messages(data, 1))
        {
            var service = ServiceName(resourceSpans);
            foreach (var scopeSpans in Protobuf.Messages(resourceSpans, 2))
                foreach (var span in Protobuf.Messages(scopeSpans, 2))
                {
                    var fields = Protobuf.Fields(span).ToList();
                    string Hex(int n) => Convert.ToHexString(fields.FirstOrDefault(f => f.Number == n).Bytes.Span).ToLowerInvariant();
                    var attributes = fields.Where(f => f.Number == 9).Select(f => KeyValue(f.Bytes)).Where(kv => kv.Value is not null)
                        .GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.First().Value!);
                    Spans.Add(new ReceivedSpan(service, Hex(1), Hex(2), Hex(4),
                        Encoding.UTF8.GetString(fields.FirstOrDefault(f => f.Number == 5).Bytes.Span),
                        (int)fields.FirstOrDefault(f => f.Number == 6).Varint, attributes));
                }
        }
    }

    void ReadMetrics(byte[] data)
    {
        foreach (var resourceMetrics in Protobuf.Messages(data, 1))
        {
            var names = MetricsByService.GetOrAdd(ServiceName(resourceMetrics), _ => new());
            foreach (var scopeMetrics in Protobuf.Messages(resourceMetrics, 2))
                foreach (var metric in Protobuf.Messages(scopeMetrics, 2))
                    names.TryAdd(Encoding.UTF8.GetString(Protobuf.Fields(metric).FirstOrDefault(f => f.Number == 1).Bytes.Span), 0);
        }
    }

    static string ServiceName(ReadOnlyMemory<byte> resourceHolder) =>
        Protobuf.Messages(resourceHolder, 1).SelectMany(resource => Protobuf.Messages(resource, 1)).Select(KeyValue)
            .FirstOrDefault(kv => kv.Key == "service.name").Value ?? "unknown";

    static (string Key, string? Value) KeyValue(ReadOnlyMemory<byte> keyValue)
    {
        var fields = Protobuf.Fields(keyValue).ToList();
        var key = Encoding.UTF8.GetString(fields.FirstOrDefault(f => f.Number == 1).Bytes.Span);
        var anyValue = fields.FirstOrDefault(f => f.Number == 2).Bytes;
        var stringValue = Protobuf.Fields(anyValue).Where(f => f.Number == 1 && f.WireType == 2).Select(f => Encoding.UTF8.GetString(f.Bytes.Span)).FirstOrDefault();
        return (key, stringValue);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    /// <summary>Just enough of the protobuf wire format: varints and length-delimited fields.</summary>
    static class Protobuf
    {
        public readonly record struct Field(int Number, int WireType, ulong Varint, ReadOnlyMemory<byte> Bytes);

        public static IEnumerable<ReadOnlyMemory<byte>> Messages(ReadOnlyMemory<byte> data, int number) =>
            Fields(data).Where(f => f.Number == number && f.WireType == 2).Select(f => f.Bytes);

        public static IEnumerable<Field> Fields(ReadOnlyMemory<byte> data)
        {
            var position = 0;
            while (position < data.Length)
            {
                var tag = ReadVarint(data.Span, ref position);
                var (number, wireType) = ((int)(tag >> 3), (int)(tag & 7));
                switch (wireType)
                {
                    case 0: yield return new Field(number, 0, ReadVarint(data.Span, ref position), default); break;
                    case 1: position += 8; break;
                    case 5: position += 4; break;
                    case 2:
                        var length = (int)ReadVarint(data.Span, ref position);
                        yield return new Field(number, 2, 0, data.Slice(position, length));
                        position += length;
                        break;
                    default: throw new InvalidDataException($"unsupported protobuf wire type {wireType}");
                }
            }
        }

        static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
        }
    }
}
