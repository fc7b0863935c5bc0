using Fleet.OmegaWatt.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.OmegaWatt.Tests.Protocol;

/// <summary>The decoder against captures made by the independent generator, not by our encoder.</summary>
public sealed class FixtureTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-fixtures-").FullName;

    public static TheoryData<string> SharedFixtures => new(Fixtures.Names);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [MemberData(nameof(SharedFixtures))]
    public void Decode_SharedFixture_ReadsEveryExpectedFrameAndCount(string name)
    {
        AssertDecodesAsExpected(Fixtures.Expected(name));
    }

    [Theory]
    [InlineData("--seed", "2", "--plugs", "12", "--noise")]
    [InlineData("--seed", "3", "--plugs", "48", "--frames", "400", "--noise")]
    [InlineData("--seed", "4", "--plugs", "6", "--first-id", "65500", "--frames", "2000", "--noise")]
    [InlineData("--seed", "5", "--plugs", "18", "--first-id", "65535", "--frames", "300")]
    [InlineData("--seed", "6", "--plugs", "24", "--samples", "1", "--noise")]
    public void Decode_GeneratedCapture_ReadsEveryExpectedFrameAndCount(params string[] arguments)
    {
        var prefix = Fixtures.Generate(_directory, "capture", arguments);
        AssertDecodesAsExpected(ExpectedCapture.Load(prefix));
    }

    [Theory]
    [MemberData(nameof(SharedFixtures))]
    public void Decode_OneByteAtATime_SameAsWholeBuffer(string name)
    {
        var expected = Fixtures.Expected(name);
        var capture = File.ReadAllBytes(expected.CapturePath);

        var (rows, counters, _) = DecodedFrames.DecodeInChunks(capture, Enumerable.Repeat(1, capture.Length));

        Assert.Equal(expected.Rows.Count, rows.Count);
        Assert.Equal(expected.FramesBadCrc, counters.FramesBadCheck);
        Assert.Equal(expected.FramesMissingById, counters.FramesMissingById);
        for (var k = 0; k < rows.Count; k++)
        {
            expected.Rows[k].AssertMatches(rows[k]);
        }
    }

    private static void AssertDecodesAsExpected(ExpectedCapture expected)
    {
        var capture = File.ReadAllBytes(expected.CapturePath);

        var (rows, counters) = DecodedFrames.DecodeContiguous(capture);

        Assert.Equal(expected.FramesValid, counters.FramesValid);
        Assert.Equal(expected.FramesInvalid, counters.FramesInvalid);
        Assert.Equal(expected.FramesBadCrc, counters.FramesBadCheck);
        Assert.Equal(expected.FramesMissingById, counters.FramesMissingById);
        Assert.Equal(expected.Plugs, counters.Plugs);
        Assert.Equal(expected.Rows.Count, rows.Count);
        for (var k = 0; k < rows.Count; k++)
        {
            expected.Rows[k].AssertMatches(rows[k]);
        }

        // Energy per socket over valid frames: Σ P × 10 ms, as the generator computed it.
        for (var plug = 0; plug < expected.Plugs; plug++)
        {
            var joules = rows.Where(r => r.IsOk).Sum(r => r.Values[3 + expected.Plugs + plug] * 0.010);
            Assert.Equal(expected.EnergyJoules[plug], joules, 1e-5 * Math.Max(1, Math.Abs(expected.EnergyJoules[plug])));
        }
    }
}
