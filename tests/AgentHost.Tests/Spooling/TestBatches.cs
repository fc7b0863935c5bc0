using Fleet.Grains.Abstractions.Messages;

namespace Fleet.AgentHost.Tests.Spooling;

/// <summary>Batches with distinct, reproducible contents per sequence, so a read-back can be compared bit for bit.</summary>
internal static class TestBatches
{
    public const string SourceId = "host/box/run";

    public static FrameBatch Create(long sequence, int plugs = 6, int frames = 10, string sourceId = SourceId)
    {
        var random = new Random((int)sequence);
        return new FrameBatch(
            sourceId,
            sequence,
            plugs,
            [.. Enumerable.Range(0, frames).Select(k => 1_764_064_800_000_000L + (((sequence * frames) + k) * 10_000))],
            [.. Enumerable.Range(0, frames).Select(k => (int)((sequence * frames) + k) & 0xFFFF)],
            [.. Enumerable.Range(0, frames).Select(k => k % 7 != 3)],
            [.. Enumerable.Range(0, 3 * frames).Select(_ => (float)(230 + random.NextDouble()))],
            [.. Enumerable.Range(0, plugs * frames).Select(_ => (float)random.NextDouble())],
            [.. Enumerable.Range(0, plugs * frames).Select(_ => (float)(random.NextDouble() * 300))],
            sequence,
            0,
            "host",
            "host-writer");
    }

    public static void AssertSame(FrameBatch expected, FrameBatch actual)
    {
        Assert.Equal(expected.SourceId, actual.SourceId);
        Assert.Equal(expected.Sequence, actual.Sequence);
        Assert.Equal(expected.Plugs, actual.Plugs);
        Assert.Equal(expected.AgentHost, actual.AgentHost);
        Assert.Equal(expected.WriterId, actual.WriterId);
        Assert.Equal(expected.TimesUnixMicroseconds, actual.TimesUnixMicroseconds);
        Assert.Equal(expected.FrameIds, actual.FrameIds);
        Assert.Equal(expected.Valid, actual.Valid);
        Assert.Equal(expected.VoltagesVolts, actual.VoltagesVolts);
        Assert.Equal(expected.CurrentsAmperes, actual.CurrentsAmperes);
        Assert.Equal(expected.PowersWatts, actual.PowersWatts);
        Assert.Equal(expected.FramesMissingById, actual.FramesMissingById);
        Assert.Equal(expected.FramesBadCheck, actual.FramesBadCheck);
    }

    /// <summary>Peeks and acknowledges until the spool is empty: the sequences in the order the pusher would send them.</summary>
    public static List<long> Drain(AgentHost.Spooling.Spool spool)
    {
        var sequences = new List<long>();
        while (spool.Peek() is { } batch)
        {
            sequences.Add(batch.Sequence);
            spool.Acknowledge(batch);
        }

        return sequences;
    }
}
