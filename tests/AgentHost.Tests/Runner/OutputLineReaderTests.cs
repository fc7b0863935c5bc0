using Fleet.AgentHost.Runner;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Tests.Runner;

public sealed class OutputLineReaderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4_096)]
    public async Task ReadLineAsync_EveryLineEnding_SameLinesAsTextReaderWhateverTheReadSize(int bufferChars)
    {
        const string output = "a\nbb\r\nccc\rprogress 10%\rprogress 20%\r\n\n\r\rlast without newline";

        var lines = await ReadAllAsync(output, bufferChars);

        Assert.Equal(ReadLinesTheFrameworkWay(output), lines);
        Assert.Equal(["a", "bb", "ccc", "progress 10%", "progress 20%", "", "", "", "last without newline"], lines);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(4_096)]
    public async Task ReadLineAsync_LineLongerThanKept_KeepsMaxCharsAndCountsTheRest_NextLineIntact(int bufferChars)
    {
        var output = new string('y', LogLine.MaxChars + 12_345) + "\r\nnext\n";

        var lines = await ReadAllAsync(output, bufferChars);

        Assert.Equal(2, lines.Count);
        Assert.Equal(LogLine.Cut(new string('y', LogLine.MaxChars), 12_345), lines[0]);
        Assert.Equal("next", lines[1]);
    }

    [Fact]
    public async Task ReadLineAsync_CutFallsInsideAnEmoji_KeepsNoHalfCharacter()
    {
        // "x" then emoji (two UTF-16 code units each): the limit falls between an emoji's halves.
        var line = "x" + string.Concat(Enumerable.Repeat("\U0001F600", LogLine.MaxChars));

        var read = Assert.Single(await ReadAllAsync(line + "\n", 4_096));

        var kept = read[..read.IndexOf(" … [fleet: ", StringComparison.Ordinal)];
        Assert.Equal(LogLine.MaxChars - 1, kept.Length);
        Assert.False(char.IsHighSurrogate(kept[^1]));
        Assert.EndsWith($"[fleet: {line.Length - kept.Length} more characters of this line not kept; lines keep {LogLine.MaxChars}]", read, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadLineAsync_ExactlyMaxChars_NothingCut()
    {
        var line = new string('z', LogLine.MaxChars);

        Assert.Equal([line], await ReadAllAsync(line + "\n", 4_096));
    }

    [Fact]
    public async Task ReadLineAsync_NoOutput_NoLine()
    {
        Assert.Empty(await ReadAllAsync(string.Empty, 16));
    }

    private static async Task<List<string>> ReadAllAsync(string output, int bufferChars)
    {
        var reader = new OutputLineReader(new StringReader(output), bufferChars);
        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    private static List<string> ReadLinesTheFrameworkWay(string output)
    {
        using var reader = new StringReader(output);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }
}
