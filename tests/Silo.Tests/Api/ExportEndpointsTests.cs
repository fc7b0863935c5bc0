using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Fleet.OmegaWatt.Csv;
using Fleet.Silo.Tests.Support;

namespace Fleet.Silo.Tests.Api;

/// <summary>/api/export against the independent noisy 6-plug capture (invalid n = 0 frames, lost frames) stored as box-noisy.</summary>
public sealed partial class ExportEndpointsTests : IClassFixture<SamplesSiloFixture>
{
    private const string Noisy = SamplesSiloFixture.NoisyBox;
    private static readonly DateTimeOffset Start = SamplesSiloFixture.Start;
    private readonly SamplesSiloFixture _silo;

    public ExportEndpointsTests(SamplesSiloFixture silo) => _silo = silo;

    [Fact]
    public async Task GetExport_NoisyCaptureWindow_OneVendorRowPerStoredFrameBitExact()
    {
        using var response = await _silo.Http.GetAsync(new Uri($"/api/export?box={Noisy}&from={Time(-5)}&to={Time(60)}", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        // Streamed, not buffered into one body of known length.
        Assert.True(response.Headers.TransferEncodingChunked);
        var lines = text.Split('\n');
        Assert.Equal(VendorCsvWriter.Header(6), lines[0]);
        Assert.Equal(string.Empty, lines[^1]);
        Assert.All(lines[1..^1], line => Assert.Matches(VendorTimestamp(), line));

        var reader = new VendorCsvReader(new StringReader(text));
        var records = reader.ReadRecords().ToList();
        Assert.Equal(0, reader.SkippedLines);
        Assert.Equal(6, reader.Plugs);
        var stored = _silo.NoisyFrames;
        // Every frame the decoder accepted, valid and invalid, as the generator counts them.
        Assert.Equal(_silo.Noisy.FramesValid + _silo.Noisy.FramesInvalid, records.Count);
        Assert.Equal(stored.Count, records.Count);
        Assert.Equal(_silo.Noisy.FramesInvalid, records.Count(r => !r.IsOk));
        for (var k = 0; k < records.Count; k++)
        {
            AssertSame(stored[k], records[k], lines[k + 1]);
        }
    }

    [Fact]
    public async Task GetExport_WindowInsideSeconds_ExactlyTheStoredFramesInside()
    {
        var from = Start.AddSeconds(1.234);
        var to = Start.AddSeconds(7.891);
        var text = await _silo.Http.GetStringAsync(new Uri($"/api/export?box={Noisy}&from={Uri.EscapeDataString(SiloApi.Time(from))}&to={Uri.EscapeDataString(SiloApi.Time(to))}", UriKind.Relative));

        var reader = new VendorCsvReader(new StringReader(text));
        var records = reader.ReadRecords().ToList();
        var inside = _silo.NoisyFrames.Where(f => f.Time >= from && f.Time < to).ToList();
        Assert.Equal(0, reader.SkippedLines);
        Assert.InRange(inside.Count, 600, 666);
        Assert.Equal(inside.Count, records.Count);
        var lines = text.Split('\n');
        for (var k = 0; k < records.Count; k++)
        {
            AssertSame(inside[k], records[k], lines[k + 1]);
        }
    }

    [Fact]
    public async Task GetExport_WindowWithoutFrames_HeaderOnly()
    {
        var text = await _silo.Http.GetStringAsync(new Uri($"/api/export?box={Noisy}&from={Time(-3600)}&to={Time(-1)}", UriKind.Relative));

        Assert.Equal(VendorCsvWriter.Header(6) + "\n", text);
    }

    [Theory]
    [InlineData("box=box-noisy&from={10}&to={0}", HttpStatusCode.BadRequest, "must be before")]
    [InlineData("box=box-noisy&from={5}&to={5}", HttpStatusCode.BadRequest, "must be before")]
    [InlineData("box=box-noisy&from=yesterday&to={5}", HttpStatusCode.BadRequest, "'yesterday'")]
    [InlineData("box=box-noisy&to={5}", HttpStatusCode.BadRequest, "'from' is required")]
    [InlineData("box=box-noisy&from={0}", HttpStatusCode.BadRequest, "'to' is required")]
    [InlineData("from={0}&to={5}", HttpStatusCode.BadRequest, "'box' is required")]
    [InlineData("box=no-such-box&from={0}&to={5}", HttpStatusCode.NotFound, "unknown box 'no-such-box'")]
    [InlineData("box=bad%20box&from={0}&to={5}", HttpStatusCode.BadRequest, "'bad box'")]
    public async Task GetExport_BadQuery_ClientErrorSayingWhy(string query, HttpStatusCode expected, string contains)
    {
        using var response = await _silo.Http.GetAsync(new Uri("/api/export?" + query.Replace("{0}", Time(0), StringComparison.Ordinal)
            .Replace("{5}", Time(5), StringComparison.Ordinal).Replace("{10}", Time(10), StringComparison.Ordinal), UriKind.Relative));

        await SiloApi.AssertErrorAsync(response, expected, contains);
    }

    private static void AssertSame(StoredFrame frame, VendorCsvRecord record, string line)
    {
        Assert.Equal(frame.UnixMicroseconds * 1000, record.UnixTimeNanoseconds);
        // seconds.nanoseconds, written from the stored microseconds.
        var seconds = Math.DivRem(frame.UnixMicroseconds, 1_000_000, out var micros);
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"{seconds}.{micros * 1000:D9},"), line, StringComparison.Ordinal);
        Assert.Equal(frame.Valid, record.IsOk);
        if (!frame.Valid)
        {
            Assert.Empty(record.VoltagesVolts);
            Assert.Equal(",false" + new string(',', 3 + (2 * 6)), line[line.IndexOf(',', StringComparison.Ordinal)..]);
            return;
        }

        AssertBits(frame.Volts, record.VoltagesVolts);
        AssertBits(frame.Currents, record.CurrentsAmperes);
        AssertBits(frame.Powers, record.PowersWatts);
    }

    private static void AssertBits(float[] expected, IReadOnlyList<float> actual) =>
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));

    private static string Time(double seconds) => Uri.EscapeDataString(SiloApi.Time(Start.AddSeconds(seconds)));

    [GeneratedRegex(@"^\d+\.\d{9},(true|false),")]
    private static partial Regex VendorTimestamp();
}
