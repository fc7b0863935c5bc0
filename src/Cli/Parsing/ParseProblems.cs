using System.CommandLine;
using System.CommandLine.Parsing;

namespace Fleet.Cli.Parsing;

/// <summary>
/// What is wrong with a command line, one sentence per problem, with a suggestion for a typo:
/// an unknown command, an unknown option (also where the parser took it for a positional value,
/// as in <c>fleet report --jsno ID</c>), a stray argument, then the parser's own errors.
/// The root command leaves unmatched tokens to this class (TreatUnmatchedTokensAsErrors is off)
/// so that each is reported once and as what it is.
/// </summary>
internal static class ParseProblems
{
    public static IReadOnlyList<string> Find(ParseResult parse, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(args);
        var problems = new List<string>();
        var command = parse.CommandResult.Command;
        var options = OptionNames(parse.CommandResult).ToList();
        var unknownOptions = new HashSet<string>(StringComparer.Ordinal);

        // Option-like words a positional argument swallowed, before any `--` (after it they are data).
        var doubleDash = IndexOf(parse.Tokens, t => t.Type == TokenType.DoubleDash);
        foreach (var argument in Ancestry(parse.CommandResult).SelectMany(c => c.Children.OfType<ArgumentResult>()))
        {
            foreach (var token in argument.Tokens)
            {
                var index = IndexOf(parse.Tokens, t => ReferenceEquals(t, token));
                if (LooksLikeOption(token.Value) && (doubleDash < 0 || index < doubleDash) && unknownOptions.Add(token.Value))
                {
                    problems.Add(UnknownOption(token.Value, options, "arguments that start with '-' go after '--'"));
                }
            }
        }

        var unknownCommand = false;
        foreach (var token in parse.UnmatchedTokens)
        {
            if (LooksLikeOption(token))
            {
                if (unknownOptions.Add(token))
                {
                    problems.Add(UnknownOption(token, options, null));
                }
            }
            else if (unknownCommand || FollowsUnknownOption(token, args, unknownOptions))
            {
                // The value of an unknown option, or the arguments of an unknown command: one problem, said once.
            }
            else if (command.Subcommands.Count > 0)
            {
                unknownCommand = true;
                var names = command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name)).ToList();
                var suggestion = Suggestions.Closest(token, names);
                problems.Add(suggestion is not null
                    ? $"unknown command '{token}' (did you mean '{suggestion}'?)"
                    : $"unknown command '{token}' (commands: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))})");
            }
            else
            {
                problems.Add($"unexpected argument '{token}'");
            }
        }

        problems.AddRange(parse.Errors.Select(e => e.Message));
        return problems;
    }

    /// <summary>The command's path as typed: <c>fleet exp list</c>.</summary>
    public static string CommandPath(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return string.Join(' ', Ancestry(parse.CommandResult).Reverse().Select(c => c.Command.Name));
    }

    private static string UnknownOption(string token, IReadOnlyList<string> options, string? hint)
    {
        var suggestion = Suggestions.Closest(token, options);
        return suggestion is not null ? $"unknown option '{token}' (did you mean {suggestion}?)"
            : hint is not null ? $"unknown option '{token}' ({hint})"
            : $"unknown option '{token}'";
    }

    /// <summary>A word starting with '-' that is not '-' (standard input) nor a number or relative time (-5, -10m).</summary>
    private static bool LooksLikeOption(string token) => token.Length > 1 && token[0] == '-' && !char.IsDigit(token[1]) && token != "--";

    private static bool FollowsUnknownOption(string token, IReadOnlyList<string> args, HashSet<string> unknownOptions)
    {
        for (var i = 1; i < args.Count; i++)
        {
            if (args[i] == token && unknownOptions.Contains(args[i - 1]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every option name and alias valid here: the command's own and the recursive ones of its parents.</summary>
    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        foreach (var current in Ancestry(result))
        {
            foreach (var option in current.Command.Options.Where(o => !o.Hidden && (current == result || o.Recursive)))
            {
                yield return option.Name;
                foreach (var alias in option.Aliases.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
                {
                    yield return alias;
                }
            }
        }
    }

    private static IEnumerable<CommandResult> Ancestry(CommandResult result)
    {
        for (CommandResult? current = result; current is not null; current = current.Parent as CommandResult)
        {
            yield return current;
        }
    }

    private static int IndexOf(IReadOnlyList<Token> tokens, Func<Token, bool> match)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (match(tokens[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
