using Fleet.Api.Contracts.Boxes;
using Fleet.Cli.Commands;

namespace Fleet.Cli.Tests.Reports;

/// <summary>`fleet status`'s box table after an import: a readable age, a short source, columns that stay aligned.</summary>
public sealed class StatusTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void BoxTable_ImportedDaysAgo_HumanAgeAndShortSourceName()
    {
        var imported = Box("omegawatt-a", Now.AddSeconds(-555_172), "import:import:3f2a9c41d0b7e6a58c:+00:00");
        var live = Box("omegawatt-b", Now.AddSeconds(-0.4), "lab-host-7");
        var silent = Box("omegawatt-c", null, null);

        var lines = StackCommands.BoxTable([imported, live, silent], Now).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("6 days 10 h ago", lines[1], StringComparison.Ordinal);
        Assert.Contains("import 3f2a9c41", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("import:", lines[1], StringComparison.Ordinal);
        Assert.Contains("0.4 s ago", lines[2], StringComparison.Ordinal);
        Assert.Contains("never", lines[3], StringComparison.Ordinal);
        Assert.DoesNotContain("555172", string.Join('\n', lines), StringComparison.Ordinal);
        // The source is the last column and every row's starts where the header's does.
        var column = lines[0].IndexOf("SOURCE", StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.NotEqual(' ', l[column]));
    }

    private static BoxResponse Box(string id, DateTimeOffset? last, string? source) =>
        new(id, 6, 1000, 0, 0, 0, last, source, [], 0, 0);
}
