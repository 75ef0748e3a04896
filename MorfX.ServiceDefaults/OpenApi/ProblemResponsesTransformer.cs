using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MorfX.ServiceDefaults;

/// <summary>
/// Writes every problem an operation can answer (<see cref="ProblemContract"/>) as its responses: one per status, in
/// application/problem+json, with `code` an enum of the codes that status can carry, so a generated client can branch on it.
/// </summary>
sealed class ProblemResponsesTransformer : IOpenApiOperationTransformer
{
    public const string ContentType = "application/problem+json";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Responses ??= [];
        foreach (var status in ProblemContract.Of(context.Description.ActionDescriptor.EndpointMetadata).GroupBy(c => c.Status))
        {
            var codes = status.Select(c => c.Code).ToList();
            operation.Responses[status.Key.ToString()] = new OpenApiResponse
            {
                Description = $"Problem details; `code`: {string.Join(", ", codes)}",
                Content = new Dictionary<string, OpenApiMediaType> { [ContentType] = new() { Schema = Schema(status.Key, codes) } },
            };
        }
        return Task.CompletedTask;
    }

    /// <summary>RFC 7807 with our extensions: `code` (one of the listed), `errors` for field errors, `traceId`.</summary>
    static OpenApiSchema Schema(int status, List<string> codes) => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "title", "status", "detail", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Enum = [JsonValue.Create(status)] },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Spanish, ready to show the merchant" },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. codes.Select(c => (JsonNode)JsonValue.Create(c))] },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "field", "code", "detail" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["field"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["code"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
        },
    };
}
