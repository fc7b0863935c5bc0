using Fleet.Cli.Parsing;

namespace Fleet.Cli.Tests.Parsing;

/// <summary>Every form of TIME the command line accepts, read against a fixed "now".</summary>
public sealed class TimeInputTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 14, 30, 15, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-11-25T10:00:00Z", "2026-11-25T10:00:00Z")]
    [InlineData("2026-11-25T11:00:00+01:00", "2026-11-25T10:00:00Z")]
    [InlineData("2026-12-01 22:10", "2026-12-01T22:10:00Z")]
    [InlineData("22:10", "2026-12-02T22:10:00Z")]
    [InlineData("9:05:30", "2026-12-02T09:05:30Z")]
    [InlineData("1795600800", "2026-11-25T10:00:00Z")]
    [InlineData("1795600800.250000000", "2026-11-25T10:00:00.25Z")]
    [InlineData("-10m", "2026-12-02T14:20:15Z")]
    [InlineData("-2h", "2026-12-02T12:30:15Z")]
    [InlineData("-1d", "2026-12-01T14:30:15Z")]
    [InlineData("-1h30m", "2026-12-02T13:00:15Z")]
    [InlineData("-90s", "2026-12-02T14:28:45Z")]
    [InlineData("+5min", "2026-12-02T14:35:15Z")]
    [InlineData("now", "2026-12-02T14:30:15Z")]
    [InlineData("today", "2026-12-02T00:00:00Z")]
    [InlineData("yesterday", "2026-12-01T00:00:00Z")]
    [InlineData("Yesterday 22:10", "2026-12-01T22:10:00Z")]
    public void Parse_EveryForm_ReadAsUtc(string text, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), TimeInput.Parse(text, "--from", Now));
    }

    [Theory]
    [InlineData("noon")]
    [InlineData("10m")]
    [InlineData("-10x")]
    [InlineData("2026-13-45T10:00:00Z")]
    [InlineData("25:00")]
    [InlineData("")]
    public void Parse_NotATime_OneLineNamingTheOptionAndTheForms(string text)
    {
        var error = Assert.Throws<CliException>(() => TimeInput.Parse(text, "--from", Now));

        Assert.Contains($"--from '{text}' is not a time", error.Message, StringComparison.Ordinal);
        Assert.Contains("-10m", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unix seconds", error.Message, StringComparison.Ordinal);
    }
}
