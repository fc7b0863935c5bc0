using System.Buffers;

namespace Fleet.OmegaWatt.Tests.Support;

/// <summary>Builds multi-segment sequences, so tests exercise frames split across pipe segments.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Build(params byte[][] chunks)
    {
        ReadOnlySequence<byte> sequence = default;
        foreach (var chunk in chunks)
        {
            sequence = Build(sequence, chunk);
        }

        return sequence;
    }

    /// <summary>A new sequence holding the rest of <paramref name="remaining"/> followed by <paramref name="chunk"/>.</summary>
    public static ReadOnlySequence<byte> Build(ReadOnlySequence<byte> remaining, byte[] chunk)
    {
        Segment? first = null;
        Segment? last = null;
        foreach (var memory in remaining)
        {
            Append(ref first, ref last, memory);
        }

        Append(ref first, ref last, chunk);
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private static void Append(ref Segment? first, ref Segment? last, ReadOnlyMemory<byte> memory)
    {
        var segment = new Segment(memory, last is null ? 0 : last.RunningIndex + last.Memory.Length);
        if (last is null)
        {
            first = segment;
        }
        else
        {
            last.SetNext(segment);
        }

        last = segment;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
