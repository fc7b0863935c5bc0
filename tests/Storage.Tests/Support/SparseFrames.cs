using Fleet.Storage.Samples;

namespace Fleet.Storage.Tests.Support;

/// <summary>
/// Hours of one 6-plug box in few rows: a few frames per second at irregular offsets, with
/// seconds, minutes and whole hours left empty, so rollups of every level have gaps and partial
/// rows. Keeps every frame, so tests can sum Σ P × 10 ms over any window themselves.
/// </summary>
internal sealed class SparseFrames
{
    private const int Plugs = 6;

    public SparseFrames(DateTimeOffset start, TimeSpan span, int seed)
    {
        var random = new Random(seed);
        var startUs = (start - DateTimeOffset.UnixEpoch).Ticks / 10;
        var seconds = (long)span.TotalSeconds;
        for (var second = 0L; second < seconds; second++)
        {
            // Whole empty minutes and one empty hour (the second), besides random empty seconds.
            if ((second / 60) % 7 == 3 || (second / 3600 == 1) || random.Next(5) == 0)
            {
                continue;
            }

            var frames = random.Next(1, 4);
            var offset = random.Next(0, 100 - (frames * 30));
            for (var k = 0; k < frames; k++)
            {
                var valid = random.Next(20) != 0;
                Times.Add(startUs + (second * 1_000_000) + ((offset + (k * 30)) * 10_000L));
                Valid.Add(valid);
                for (var plug = 0; plug < Plugs; plug++)
                {
                    Powers.Add(valid ? (float)(50 + (random.NextDouble() * 400)) : float.NaN);
                }
            }
        }
    }

    public List<long> Times { get; } = [];

    public List<bool> Valid { get; } = [];

    /// <summary>Frame-major: frame k's plug p (0-based) at k × 6 + p.</summary>
    public List<float> Powers { get; } = [];

    /// <summary>Σ P × 10 ms of the valid frames of <paramref name="socket"/> (1-based) in [from, to).</summary>
    public (double Joules, long Frames) Energy(int socket, DateTimeOffset from, DateTimeOffset to)
    {
        var fromUs = (from - DateTimeOffset.UnixEpoch).Ticks / 10;
        var toUs = (to - DateTimeOffset.UnixEpoch).Ticks / 10;
        var joules = 0.0;
        var frames = 0L;
        for (var k = 0; k < Times.Count; k++)
        {
            if (Valid[k] && Times[k] >= fromUs && Times[k] < toUs)
            {
                joules += Powers[(k * Plugs) + socket - 1] * 0.01;
                frames++;
            }
        }

        return (joules, frames);
    }

    /// <summary>The frames as blocks of up to <paramref name="framesPerBlock"/>, in order.</summary>
    public IEnumerable<SampleBlock> Blocks(string boxId, int framesPerBlock, string sourceId = "sparse")
    {
        for (int first = 0, sequence = 1; first < Times.Count; first += framesPerBlock, sequence++)
        {
            var count = Math.Min(framesPerBlock, Times.Count - first);
            yield return new SampleBlock(
                boxId,
                sourceId,
                sequence,
                "sparse",
                "test-host",
                Plugs,
                [.. Times.Skip(first).Take(count)],
                [.. Enumerable.Range(first, count).Select(k => k % 65536)],
                [.. Valid.Skip(first).Take(count)],
                [.. Enumerable.Repeat(230f, 3 * count)],
                [.. Powers.Skip(first * Plugs).Take(count * Plugs).Select(p => p / 230f)],
                [.. Powers.Skip(first * Plugs).Take(count * Plugs)]);
        }
    }
}
