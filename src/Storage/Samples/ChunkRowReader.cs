using Npgsql;

namespace Fleet.Storage.Samples;

/// <summary>
/// Decodes <c>sample_chunks</c> rows selected as <see cref="Columns"/>, one row at a time into a
/// reused <see cref="ChunkFrames"/>: how every reader of raw frames (energy at a window's edges,
/// raw series, export, tests) gets frames back from the codec.
/// </summary>
public sealed class ChunkRowReader
{
    /// <summary>The columns to select, in this order, for <see cref="Read"/>.</summary>
    public const string Columns = "second, first_offset_us, first_frame_id, frames, plugs, data";

    private ChunkFrames? _frames;

    /// <summary>
    /// The current row's frames, valid until the next call (the arrays are reused). Reads the
    /// <see cref="Columns"/> starting at ordinal <paramref name="first"/>.
    /// </summary>
    public ChunkFrames Read(NpgsqlDataReader reader, int first = 0)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var second = reader.GetFieldValue<DateTimeOffset>(first);
        var firstOffset = reader.GetInt32(first + 1);
        var firstFrameId = reader.GetInt32(first + 2);
        int count = reader.GetInt16(first + 3);
        int plugs = reader.GetInt16(first + 4);
        var data = reader.GetFieldValue<byte[]>(first + 5);
        if (_frames is null || _frames.Plugs != plugs)
        {
            _frames = new ChunkFrames(plugs);
        }

        _frames.Clear();
        var firstMicroseconds = UnixMicroseconds.Floor(second) + firstOffset;
        _frames.Append(data, firstMicroseconds, firstFrameId, count);
        return _frames;
    }
}
