using System.Text.Encodings.Web;
using System.Text.Json;

namespace Fleet.Cli.Commands;

/// <summary>JSON as scripts and people read it: '+' in "+00:00" stays '+' instead of \u002B.</summary>
internal static class CliJson
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonElement element) => JsonSerializer.Serialize(element, Options);
}
