using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Tests.Support;
using Fleet.Tests.Common;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Fleet.OmegaWatt.Tests.Protocol;

/// <summary>Properties that must hold for any input, checked on generated chunkings and garbage.</summary>
public sealed class FrameDecoderPropertyTests
{
    private static readonly byte[] Noisy = File.ReadAllBytes(Fixtures.Capture("noisy-6plugs"));
    private static readonly List<ExpectedRow> NoisyRows = DecodedFrames.DecodeContiguous(Noisy).Rows;

    [Property(MaxTest = 60)]
    public Property AnyChunking_YieldsTheSameFrames()
    {
        // Chunk lengths from 1 byte to a few frames, in any order: a frame is split anywhere.
        var chunkings = Gen.Choose(1, 400).ListOf().Where(l => l.Count > 0);
        return Prop.ForAll(chunkings.ToArbitrary(), lengths =>
        {
            var (rows, _, _) = DecodedFrames.DecodeInChunks(Noisy, Cycle(lengths));
            return rows.Count == NoisyRows.Count
                && rows.Zip(NoisyRows).All(pair => pair.First.FrameId == pair.Second.FrameId && pair.First.Values.SequenceEqual(pair.Second.Values, NaNEquality.Instance));
        });
    }

    [Property(MaxTest = 300)]
    public Property RandomGarbage_NeverThrowsAndEveryFrameHasAGoodCheckByte()
    {
        // Garbage seeded with sync words, plausible lengths and pieces of real frames, so the
        // decoder's slow paths (bad length, bad check byte, resync) are exercised, not just IndexOf.
        var piece = Gen.OneOf(
            Gen.Choose(0, 255).Select(b => new[] { (byte)b }),
            Gen.Constant(new byte[] { 0xFE, 0xFD, 0xFC, 0xFB }),
            Gen.Constant(new byte[] { 0xFE, 0xFD, 0xFC, 0xFB, 70, 0 }),
            Gen.Choose(0, (Noisy.Length / 77) - 2).SelectMany(start => Gen.Choose(1, 160).Select(length => Noisy.AsSpan(start * 77, length).ToArray())));
        var inputs = piece.ListOf().Select(pieces => pieces.SelectMany(p => p).ToArray());
        return Prop.ForAll(inputs.ToArbitrary(), input =>
        {
            var decoder = new FrameDecoder();
            ReadOnlySpan<byte> buffer = input;
            while (decoder.TryReadFrame(ref buffer, out var frame))
            {
                if (!HasGoodCheckByte(input, frame.Payload))
                {
                    return false;
                }
            }

            var counters = decoder.Counters;
            return counters.BytesSkipped + buffer.Length + AcceptedBytes(input) <= input.Length;
        });
    }

    private static IEnumerable<int> Cycle(List<int> lengths)
    {
        for (var k = 0; ; k++)
        {
            yield return lengths[k % lengths.Count];
        }
    }

    private static bool HasGoodCheckByte(byte[] input, ReadOnlySpan<byte> payload)
    {
        // The payload is a view into the input: locate it, then recheck sync, length and XOR independently.
        if (!input.AsSpan().Overlaps(payload, out var offset) || offset < 6 || offset + payload.Length >= input.Length)
        {
            return false;
        }

        var check = (byte)0;
        for (var k = offset - 2; k < offset + payload.Length; k++)
        {
            check ^= input[k];
        }

        return input[offset - 6] == 0xFE && input[offset - 5] == 0xFD && input[offset - 4] == 0xFC && input[offset - 3] == 0xFB
            && input[offset - 2] + (input[offset - 1] << 8) == payload.Length
            && check == input[offset + payload.Length];
    }

    private static long AcceptedBytes(byte[] input)
    {
        var decoder = new FrameDecoder();
        ReadOnlySpan<byte> buffer = input;
        long total = 0;
        while (decoder.TryReadFrame(ref buffer, out var frame))
        {
            total += frame.Payload.Length + 7;
        }

        return total;
    }

    private sealed class NaNEquality : IEqualityComparer<double>
    {
        public static readonly NaNEquality Instance = new();

        public bool Equals(double x, double y) => x.Equals(y);

        public int GetHashCode(double obj) => obj.GetHashCode();
    }
}
