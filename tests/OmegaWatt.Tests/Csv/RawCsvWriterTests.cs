using System.Text;
using Fleet.OmegaWatt.Csv;
using Fleet.OmegaWatt.Protocol;
using Fleet.Tests.Common;

namespace Fleet.OmegaWatt.Tests.Csv;

public sealed class RawCsvWriterTests
{
    [Fact]
    public void WriteFrame_NoisyFixture_ReproducesExpectedCsvRowForRow()
    {
        var expected = Fixtures.Expected("noisy-6plugs");
        using var output = new MemoryStream();
        using (var writer = new RawCsvWriter(output, expected.Plugs))
        {
            ReadOnlySpan<byte> buffer = File.ReadAllBytes(expected.CapturePath);
            var decoder = new FrameDecoder();
            while (decoder.TryReadFrame(ref buffer, out var frame))
            {
                writer.WriteFrame(frame);
            }
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expectedHeader = File.ReadLines(expected.Prefix + ".expected.csv").First();

        Assert.Equal(expectedHeader, lines[0]);
        Assert.Equal(expected.Rows.Count, lines.Length - 1);
        for (var k = 0; k < expected.Rows.Count; k++)
        {
            expected.Rows[k].AssertMatches(ExpectedRow.Parse(lines[k + 1]));
        }
    }

    [Fact]
    public void WriteFrame_DifferentPlugCount_ThrowsPlugCountChanged()
    {
        using var output = new MemoryStream();
        using var writer = new RawCsvWriter(output, 36);
        ReadOnlySpan<byte> buffer = File.ReadAllBytes(Fixtures.Capture("clean-6plugs"));
        Assert.True(new FrameDecoder().TryReadFrame(ref buffer, out var frame));

        try
        {
            writer.WriteFrame(frame);
            Assert.Fail("a 6-plug frame was written under a 36-plug header");
        }
        catch (PlugCountChangedException error)
        {
            Assert.Equal(36, error.ExpectedPlugs);
            Assert.Equal(6, error.ActualPlugs);
        }
    }
}
