using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Fleet.Silo.Hosting;

/// <summary>
/// Times go through the contract's own converter (UTC, quoted errors), which hides their type
/// from the schema exporter: say in the OpenAPI document that they are ISO 8601 strings.
/// </summary>
internal static class OpenApiTimes
{
    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?))
        {
            schema.Type = type == typeof(DateTimeOffset?) ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Format = "date-time";
        }

        return Task.CompletedTask;
    }
}
