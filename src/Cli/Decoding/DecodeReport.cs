using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Cli.Commands;
using Fleet.OmegaWatt.Streaming;

namespace Fleet.Cli.Decoding;

/// <summary>The one-line JSON summary `fleet decode` prints on stderr; names match the fixtures' expected.json.</summary>
internal sealed record DecodeReport(
    [property: JsonPropertyName("frames_valid")] long FramesValid,
    [property: JsonPropertyName("frames_invalid")] long FramesInvalid,
    [property: JsonPropertyName("frames_bad_crc")] long FramesBadCrc,
    [property: JsonPropertyName("frames_missing_by_id")] long FramesMissingById,
    [property: JsonPropertyName("bytes_skipped")] long BytesSkipped,
    [property: JsonPropertyName("truncated_tail_bytes")] long TruncatedTailBytes,
    [property: JsonPropertyName("plugs")] int Plugs)
{
    public static DecodeReport From(DecodeSummary summary) => new(
        summary.Counters.FramesValid,
        summary.Counters.FramesInvalid,
        summary.Counters.FramesBadCheck,
        summary.Counters.FramesMissingById,
        summary.Counters.BytesSkipped,
        summary.TruncatedTailBytes,
        summary.Counters.Plugs);

    /// <summary>Generated serialization: reflection over the record cost tens of milliseconds of a run's start.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, CliJsonContext.Default.DecodeReport);
}
