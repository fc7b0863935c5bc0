using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fleet.Api.Contracts.Json;

namespace Fleet.Cli.Commands;

/// <summary>
/// What <c>--json</c> prints: the contract's records as the silo sends them (same names, same
/// times), and the CLI's own reports. '+' in "+00:00" stays '+' instead of \u002B.
/// </summary>
internal static class CliJson
{
    private static readonly JsonSerializerOptions Options = new(FleetJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = JsonTypeInfoResolver.Combine(FleetJsonContext.Default, CliJsonContext.Default),
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T)));
}
