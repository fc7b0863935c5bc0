using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Fleet.Cli.Parsing;

/// <summary>
/// The library's help, with one difference: in a list of subcommands each shows only the first
/// paragraph of its description, so `fleet --help` is an overview (a page, not the import
/// manual) and each command's own --help still has its details and examples.
/// System.CommandLine 2.0's help layout is not public, so the long descriptions are swapped for
/// their summaries while the library writes the help, and put back after.
/// </summary>
internal sealed class SummaryHelpAction : SynchronousCommandLineAction
{
    private readonly HelpAction _help = new();

    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var subcommands = parseResult.CommandResult.Command.Subcommands.Select(c => (Command: c, c.Description)).ToList();
        foreach (var (command, description) in subcommands)
        {
            command.Description = Summary(description);
        }

        try
        {
            return _help.Invoke(parseResult);
        }
        finally
        {
            foreach (var (command, description) in subcommands)
            {
                command.Description = description;
            }
        }
    }

    /// <summary>The first paragraph of a description, on one line.</summary>
    public static string? Summary(string? description) =>
        description is null ? null : string.Join(' ', description.Trim().Split("\n\n")[0].Split('\n', StringSplitOptions.TrimEntries));
}
