using System.Text;
using Fleet.OmegaWatt.Csv;
using Fleet.OmegaWatt.Protocol;
using Fleet.Tests.Common;

namespace Fleet.OmegaWatt.Tests.Csv;

public sealed class VendorCsvTests
{
    private const string VendorLog = """
        #timestamp,#frame_is_ok,#U1,#U2,#U3,#current1,#activepow1,#current2,#activepow2,#current3,#activepow3,#current4,#activepow4,#current5,#activepow5,#current6,#activepow6
        1671527189.294241015,false,,,,,,,,,,,,,,,
        1671527189.314471465,true,232.3,0.0,0.0,0.1,20.9,0.5,110.2,0.8,-3.5,0.0,0.0,0.0,0.0,0.0,0.0
        """;

    [Fact]
    public void ReadRecords_VendorLog_ParsesFalseRowsAndOneDecimalValues()
    {
        var reader = new VendorCsvReader(new StringReader(VendorLog));

        var records = reader.ReadRecords().ToList();

        Assert.Equal(6, reader.Plugs);
        Assert.Equal(2, records.Count);
        Assert.False(records[0].IsOk);
        Assert.Equal(1671527189_294241015L, records[0].UnixTimeNanoseconds);
        Assert.True(records[1].IsOk);
        Assert.Equal(232.3f, records[1].VoltagesVolts[0]);
        Assert.Equal(0.5f, records[1].CurrentsAmperes[1]);
        Assert.Equal(-3.5f, records[1].PowersWatts[2]);
        Assert.Equal(0, reader.SkippedLines);
    }

    [Fact]
    public void ReadRecords_MalformedLines_SkippedWithLineNumbersAndValidLinesKept()
    {
        var log = VendorLog + "\n"
            + "1671527189.324,true,nan,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
            + "yesterday,true,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
            + "1671527189.334,true,1,2\n"
            + "1671527189.344,true,230,0,0,0.1,20,0,0,0,0,0,0,0,0,0,0\n";
        var reader = new VendorCsvReader(new StringReader(log));

        var records = reader.ReadRecords().ToList();

        Assert.Equal(3, records.Count);
        Assert.Equal(3, reader.SkippedLines);
        Assert.Equal([4L, 5L, 6L], reader.Errors.Select(e => e.LineNumber));
        Assert.Contains("not a number", reader.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("timestamp", reader.Errors[1].Reason, StringComparison.Ordinal);
        Assert.Contains("fields", reader.Errors[2].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("frame_id,frame_is_ok,U1,U2,U3")]
    [InlineData("#timestamp,#frame_is_ok,#U1,#U2,#U3,#current1,#activepow1")]
    [InlineData("#timestamp,#frame_is_ok,#U1,#U2,#U3,#current1,#activepow1,#current2,#activepow2,#current3,#activepow3,#current4,#activepow4,#current5,#activepow5,#current6,#power6")]
    public void Constructor_NotAVendorHeader_ThrowsFormatExceptionNamingLine1(string header)
    {
        var error = Assert.Throws<VendorCsvFormatException>(() => new VendorCsvReader(new StringReader(header)));

        Assert.True(error.Message.StartsWith("line 1", StringComparison.Ordinal) || error.Message.Contains("empty", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void WriteThenRead_DecodedFixture_KeepsEveryValueAndTimestamp()
    {
        var capture = File.ReadAllBytes(Fixtures.Capture("noisy-6plugs"));
        using var output = new MemoryStream();
        var decoder = new FrameDecoder();
        var written = new List<(long Time, float[] Values, bool Ok)>();
        using (var writer = new VendorCsvWriter(output, 6))
        {
            ReadOnlySpan<byte> buffer = capture;
            while (decoder.TryReadFrame(ref buffer, out var frame))
            {
                var time = 1_700_000_000_000_000_007L + (frame.Sequence * 10_000_000L);
                writer.WriteFrame(time, frame);
                var volts = new float[3];
                var currents = new float[6];
                var powers = new float[6];
                frame.CopyValuesTo(volts, currents, powers);
                written.Add((time, [.. volts, .. currents, .. powers], frame.IsValid));
            }
        }

        var reader = new VendorCsvReader(new StringReader(Encoding.UTF8.GetString(output.ToArray())));
        var read = reader.ReadRecords().ToList();

        Assert.Equal(written.Count, read.Count);
        Assert.Equal(0, reader.SkippedLines);
        for (var k = 0; k < read.Count; k++)
        {
            Assert.Equal(written[k].Time, read[k].UnixTimeNanoseconds);
            Assert.Equal(written[k].Ok, read[k].IsOk);
            if (read[k].IsOk)
            {
                // Bit-exact: the writer prints the shortest text that parses back to the same float.
                Assert.Equal(written[k].Values, (float[])[.. read[k].VoltagesVolts, .. read[k].CurrentsAmperes, .. read[k].PowersWatts]);
            }
        }
    }

    [Theory]
    [InlineData("1671527189", 1671527189_000000000L)]
    [InlineData("1671527189.5", 1671527189_500000000L)]
    [InlineData("1671527189.000000001", 1671527189_000000001L)]
    public void TryParseUnixNanoseconds_ValidText_Parses(string text, long expected)
    {
        Assert.True(VendorCsvReader.TryParseUnixNanoseconds(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.")]
    [InlineData("1.0000000001")]
    [InlineData("-5.2")]
    [InlineData("12:00")]
    public void TryParseUnixNanoseconds_BadText_Fails(string text)
    {
        Assert.False(VendorCsvReader.TryParseUnixNanoseconds(text, out _));
    }
}
