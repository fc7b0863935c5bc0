using Fleet.OmegaWatt.Csv;

namespace Fleet.OmegaWatt.Tests.Csv;

public sealed class BoxTsvReaderTests
{
    private static readonly BoxTsvOptions Utc = new(null, null, TimeSpan.Zero, null);

    [Fact]
    public void ReadRows_DefaultLayout_TimesInTheZoneAndPowersBySocket()
    {
        const string tsv = "time\tP1 (W)\tU1\tP2 (W)\n2026-03-01 00:00:00\t7,25\t230\t12.5\n2026-03-01 00:10:00\t8\t231\t13.5\n";
        var reader = new BoxTsvReader(new StringReader(tsv), Utc with { TimeZone = TimeSpan.FromHours(1) });

        var rows = reader.ReadRows().ToList();

        Assert.Equal([(1, 1), (2, 3)], reader.Layout!.PowerColumns);
        Assert.Equal(2, rows.Count);
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 23, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), rows[0].UnixSeconds);
        Assert.Equal([7.25, 12.5], rows[0].Watts);
        Assert.Equal(3, rows[1].Line);
    }

    [Fact]
    public void ReadRows_ExplicitColumns_ByNameAndNumber()
    {
        const string tsv = "#Date\tvoltage\tactivepow1\tother\n2026/03/01 00:00\t230\t5\t9\n";
        var reader = new BoxTsvReader(new StringReader(tsv), new BoxTsvOptions("Date", "4=3,2=other", TimeSpan.Zero, null));

        var row = Assert.Single(reader.ReadRows());

        Assert.Equal([(2, 3), (4, 2)], reader.Layout!.PowerColumns);
        Assert.Equal([9.0, 5.0], row.Watts);
    }

    [Theory]
    [InlineData("time\tP1\n01.03.2026 00:01\t5\n", "line 2, column 1 ('time'): '01.03.2026 00:01' is not a time")]
    [InlineData("time\tP1\tP2\n2026-03-01 00:00\t5\tabc\n", "line 2, column 3 ('P2'): 'abc' is not a power in watts")]
    [InlineData("time\tP1\tP2\n2026-03-01 00:00\t5\n", "line 2: 2 tab-separated fields, the header has 3")]
    [InlineData("time\tvoltage\n2026-03-01 00:00\t5\n", "line 1: no power column in the header")]
    [InlineData("time\tP49\n", "names socket 49; sockets are 1 to 48")]
    [InlineData("time\tP1\n2026-03-01 00:10\t5\n2026-03-01 00:00\t5\n", "line 3: time 2026-03-01 00:00 is not after the previous row's")]
    [InlineData("", "the file is empty")]
    public void ReadRows_WhatItDoesNotUnderstand_ThrowsNamingLineAndColumn(string tsv, string expected)
    {
        var reader = new BoxTsvReader(new StringReader(tsv), Utc);

        var error = Assert.Throws<BoxTsvFormatException>(() => reader.ReadRows().ToList());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRows_UnknownPowerColumn_NamesTheOption()
    {
        var reader = new BoxTsvReader(new StringReader("time\tP1\n"), Utc with { PowerColumns = "1=P9" });

        var error = Assert.Throws<BoxTsvFormatException>(() => reader.ReadRows().ToList());

        Assert.Contains("--power-columns 1='P9' is not a column of the header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_MostCommonGap_IsTheStepAndAnOutageIsAGap()
    {
        var timeline = Timeline(0, 60, 120, 600, 660);

        Assert.Equal(60, timeline.Step(null));
        Assert.Equal(5, timeline.Rows);
        Assert.Equal(660, timeline.LastUnixSeconds);
    }

    [Fact]
    public void Step_RowsCloserThanTheStep_RefusedNamingTheLine()
    {
        var timeline = Timeline(0, 60, 120, 150);

        var error = Assert.Throws<BoxTsvFormatException>(() => timeline.Step(60));

        Assert.Contains("line 5: 30 s after the previous row, less than the step of 60 s: steps would overlap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_OneRowWithoutAGivenStep_AsksForIt()
    {
        var error = Assert.Throws<BoxTsvFormatException>(() => Timeline(0).Step(null));

        Assert.Contains("give --step-seconds", error.Message, StringComparison.Ordinal);
    }

    private static BoxTsvTimeline Timeline(params long[] times)
    {
        var timeline = new BoxTsvTimeline();
        for (var k = 0; k < times.Length; k++)
        {
            timeline.Add(new BoxTsvRow(k + 2, times[k], [1.0]));
        }

        return timeline;
    }
}
