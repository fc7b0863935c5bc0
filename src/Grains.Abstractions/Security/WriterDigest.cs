using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Grains.Abstractions.Security;

/// <summary>
/// What a writer signs: a SHA-256 over the box id and every field of a batch (or of a health
/// report), so a signature made for box A is worthless for box B, and no value can be changed
/// after signing. The agent signs with its certificate's key; the meter checks it.
/// </summary>
public static class WriterDigest
{
    public static byte[] Of(string boxId, FrameBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Text(hash, "fleet.frames.v1");
        Text(hash, boxId);
        Text(hash, batch.SourceId);
        Int64(hash, batch.Sequence);
        Int64(hash, batch.Plugs);
        Span(hash, MemoryMarshal.AsBytes(batch.TimesUnixMicroseconds.AsSpan()));
        Span(hash, MemoryMarshal.AsBytes(batch.FrameIds.AsSpan()));
        Span(hash, MemoryMarshal.AsBytes(batch.Valid.AsSpan()));
        Span(hash, MemoryMarshal.AsBytes(batch.VoltagesVolts.AsSpan()));
        Span(hash, MemoryMarshal.AsBytes(batch.CurrentsAmperes.AsSpan()));
        Span(hash, MemoryMarshal.AsBytes(batch.PowersWatts.AsSpan()));
        Int64(hash, batch.FramesMissingById);
        Int64(hash, batch.FramesBadCheck);
        Text(hash, batch.AgentHost);
        Text(hash, batch.WriterId);
        return hash.GetHashAndReset();
    }

    public static byte[] Of(string boxId, AgentHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Text(hash, "fleet.health.v1");
        Text(hash, boxId);
        Text(hash, health.AgentHost);
        Int64(hash, health.SpoolBytes);
        Int64(hash, health.SpoolBatches);
        Int64(hash, health.SerialReconnects);
        Int64(hash, BitConverter.DoubleToInt64Bits(health.ClockOffsetSeconds));
        Int64(hash, BitConverter.DoubleToInt64Bits(health.ClockJitterSeconds));
        Int64(hash, health.BatchesQuarantined);
        return hash.GetHashAndReset();
    }

    /// <summary>
    /// A runner's hello: the machine it runs as, its host, when it sent it (so a captured hello
    /// ages out), its process's instance and the grain's challenge (v2; v1, without them, is what
    /// older runners sign).
    /// </summary>
    public static byte[] Of(RunnerHello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Text(hash, hello.InstanceId is null ? "fleet.runner.v1" : "fleet.runner.v2");
        Text(hash, hello.Machine);
        Text(hash, hello.Host);
        Int64(hash, hello.SentAt.UtcTicks);
        if (hello.InstanceId is not null)
        {
            Text(hash, hello.InstanceId);
            Text(hash, hello.Challenge);
        }

        return hash.GetHashAndReset();
    }

    // Every field is length-prefixed, so no two different batches hash the same bytes.
    private static void Text(IncrementalHash hash, string? text) => Span(hash, Encoding.UTF8.GetBytes(text ?? string.Empty));

    private static void Span(IncrementalHash hash, ReadOnlySpan<byte> bytes)
    {
        Int64(hash, bytes.Length);
        hash.AppendData(bytes);
    }

    private static void Int64(IncrementalHash hash, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        hash.AppendData(bytes);
    }
}
