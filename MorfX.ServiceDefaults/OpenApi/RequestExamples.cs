using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace MorfX.ServiceDefaults;

/// <summary>A realistic request body an operation's documentation shows, serialized as the API reads it.</summary>
public sealed record RequestExample(object Value);

public static class RequestExamples
{
    /// <summary>Shows this body as the operation's request example (merchant text in Spanish, as the frontend sends it).</summary>
    public static RouteHandlerBuilder WithRequestExample<T>(this RouteHandlerBuilder builder, T example) where T : notnull =>
        builder.WithMetadata(new RequestExample(example));
}

sealed class RequestExampleTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var example = context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestExample>().LastOrDefault();
        if (example is null || operation.RequestBody?.Content is not { } content) return Task.CompletedTask;
        var json = context.ApplicationServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        foreach (var media in content.Values)
            media.Example = JsonSerializer.SerializeToNode(example.Value, example.Value.GetType(), json);
        return Task.CompletedTask;
    }
}
