using Fleet.Grains.Abstractions.Messages;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;

namespace Fleet.Grains.Tests.Meters;

/// <summary>A batch crosses the wire as one packed byte array and arrives as it was sent, malformed or not.</summary>
public sealed class FrameBatchWireTests
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddSerializer(builder => builder.AddAssembly(typeof(FrameBatch).Assembly)).BuildServiceProvider();

    [Fact]
    public void Serializer_Batch_RoundTripsEveryColumnAndField()
    {
        var batch = Batch(count: 3, plugs: 6) with { Signature = new WriterSignature([1, 2], [3]) };

        var copy = RoundTrip(batch);

        Assert.Equal(batch.SourceId, copy.SourceId);
        Assert.Equal(batch.Sequence, copy.Sequence);
        Assert.Equal(batch.Plugs, copy.Plugs);
        Assert.Equal(batch.TimesUnixMicroseconds, copy.TimesUnixMicroseconds);
        Assert.Equal(batch.FrameIds, copy.FrameIds);
        Assert.Equal(batch.Valid, copy.Valid);
        Assert.Equal(batch.VoltagesVolts, copy.VoltagesVolts);
        Assert.Equal(batch.CurrentsAmperes, copy.CurrentsAmperes);
        Assert.Equal(batch.PowersWatts, copy.PowersWatts);
        Assert.Equal(batch.FramesMissingById, copy.FramesMissingById);
        Assert.Equal(batch.FramesBadCheck, copy.FramesBadCheck);
        Assert.Equal(batch.AgentHost, copy.AgentHost);
        Assert.Equal(batch.WriterId, copy.WriterId);
        Assert.Equal(batch.Signature!.Certificate, copy.Signature!.Certificate);
        Assert.Equal(batch.Signature.Signature, copy.Signature.Signature);
    }

    [Fact]
    public void Serializer_NaNValuesOfAFrameWithoutData_KeptBitForBit()
    {
        var batch = Batch(count: 2, plugs: 6);
        batch.Valid[1] = false;
        Array.Fill(batch.PowersWatts, float.NaN, 6, 6);

        var copy = RoundTrip(batch);

        Assert.Equal([true, false], copy.Valid);
        Assert.All(copy.PowersWatts[6..], value => Assert.True(float.IsNaN(value)));
    }

    [Fact]
    public void Serializer_ColumnsOfMismatchedLengthsOrMissing_ArriveAsSentForTheRulesToRefuse()
    {
        var batch = Batch(count: 3, plugs: 6) with { FrameIds = [1], PowersWatts = null! };

        var copy = RoundTrip(batch);

        Assert.Equal([1], copy.FrameIds);
        Assert.Null(copy.PowersWatts);
        Assert.Equal(3, copy.Count);
    }

    [Fact]
    public void Unpack_TruncatedPayload_Throws()
    {
        var packed = FrameBatchPayload.Pack(Batch(count: 3, plugs: 6));

        Assert.Throws<ArgumentException>(() => FrameBatchPayload.Unpack(packed[..^1]));
        Assert.Throws<ArgumentException>(() => FrameBatchPayload.Unpack([.. packed, 0]));
    }

    [Fact]
    public void DeepCopier_Batch_NotCopiedBecauseImmutable()
    {
        // Orleans copies the arguments of calls inside a silo unless their type is immutable.
        var batch = Batch(count: 3, plugs: 6);

        var copy = Services.GetRequiredService<DeepCopier<FrameBatch>>().Copy(batch);

        Assert.Same(batch, copy);
    }

    private static FrameBatch RoundTrip(FrameBatch batch)
    {
        var serializer = Services.GetRequiredService<Serializer<FrameBatch>>();
        return serializer.Deserialize(serializer.SerializeToArray(batch))!;
    }

    private static FrameBatch Batch(int count, int plugs) => new(
        "agent-1", 7, plugs,
        [.. Enumerable.Range(0, count).Select(k => 1_764_000_000_000_000L + (k * 10_000L))],
        [.. Enumerable.Range(100, count)],
        [.. Enumerable.Repeat(true, count)],
        [.. Enumerable.Range(0, 3 * count).Select(k => 230f + (k / 10f))],
        [.. Enumerable.Range(0, plugs * count).Select(k => k / 100f)],
        [.. Enumerable.Range(0, plugs * count).Select(k => k * 1.5f)],
        2, 1, "host-a", "writer-a");
}
