using System.CommandLine;
using Fleet.Cli.Commands;

namespace Fleet.Cli.Tests.Commands;

/// <summary>Every command's --help, read from the command tree itself so a new command cannot slip through.</summary>
public sealed class HelpTests
{
    private static readonly Command Root = FleetCommand.Create();

    public static TheoryData<string> EveryCommand => new(Paths(Root, string.Empty));

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void Help_EveryCommand_HasAnExampleAndSaysFleet(string path)
    {
        var help = Help(path);

        Assert.Contains("Example", help, StringComparison.Ordinal);
        Assert.Contains($"Usage:\n  fleet {path}".TrimEnd(), help, StringComparison.Ordinal);
        Assert.DoesNotContain("Fleet.Cli", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_TopLevel_AnOverviewOfAPage()
    {
        var help = Help(string.Empty);
        var lines = help.Split('\n');

        // A terminal's page: the commands of the runner role (submit, queue, logs, cancel, runners, sockets) took it past 45.
        Assert.True(lines.Length <= 50, $"fleet --help is {lines.Length} lines:\n{help}");
        foreach (var command in Root.Subcommands)
        {
            // Each command on one line of its own, with its summary, not its manual.
            Assert.Single(lines, l => l.StartsWith($"  {command.Name} ", StringComparison.Ordinal));
        }

        Assert.DoesNotContain("box-tsv", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_EveryFileOutput_IsDashOOrDashDashOut()
    {
        var options = Commands(Root).SelectMany(c => c.Options).ToList();

        Assert.DoesNotContain(options, o => o.Name == "--output");
        Assert.All(options.Where(o => o.Aliases.Contains("-o")), o => Assert.Equal("--out", o.Name));
        Assert.Contains(options, o => o.Name == "--out");
    }

    private static string Help(string path)
    {
        using var output = new StringWriter();
        var arguments = path.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append("--help").ToArray();
        Assert.Equal(0, Root.Parse(arguments).Invoke(new InvocationConfiguration { Output = output }));
        return output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static IEnumerable<string> Paths(Command command, string prefix)
    {
        foreach (var subcommand in command.Subcommands)
        {
            var path = (prefix + " " + subcommand.Name).Trim();
            yield return path;
            foreach (var deeper in Paths(subcommand, path))
            {
                yield return deeper;
            }
        }
    }

    private static IEnumerable<Command> Commands(Command command) => command.Subcommands.SelectMany(Commands).Prepend(command);
}
