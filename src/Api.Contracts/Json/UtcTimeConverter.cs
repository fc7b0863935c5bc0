using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.OmegaWatt.Time;

namespace Fleet.Api.Contracts.Json;

/// <summary>
/// Times in bodies: read with <see cref="IsoTime.TryParse"/> (no offset means UTC, not the
/// silo's local zone) with an error that quotes what was sent; written in UTC.
/// </summary>
public sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"a time is a string, ISO 8601 UTC (e.g. {IsoTime.Example}), not {reader.TokenType}");
        }

        var text = reader.GetString();
        return IsoTime.TryParse(text, out var time)
            ? time
            : throw new JsonException($"'{text}' is not an ISO 8601 time (e.g. {IsoTime.Example})");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToUniversalTime());
    }
}
