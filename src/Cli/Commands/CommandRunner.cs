using Fleet.Cli.Terminal;

namespace Fleet.Cli.Commands;

/// <summary>
/// Runs a command body so that a user error is one line on stderr and an exit code, never a
/// stack trace. The line is made printable: a message may quote a file's bytes or a server's words.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(string commandName, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (CliException error)
        {
            await ErrorAsync(commandName, error.Message).ConfigureAwait(false);
            return error.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await ErrorAsync(commandName, "cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (IOException error)
        {
            await ErrorAsync(commandName, error.Message).ConfigureAwait(false);
            return 1;
        }
        catch (UnauthorizedAccessException error)
        {
            await ErrorAsync(commandName, error.Message).ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>A warning that does not stop the command, in the same one-line form.</summary>
    public static Task WarnAsync(string commandName, string message) =>
        Console.Error.WriteLineAsync($"fleet {commandName}: warning: {Printable.Line(message)}");

    private static Task ErrorAsync(string commandName, string message) =>
        Console.Error.WriteLineAsync($"fleet {commandName}: {Printable.Line(message)}");
}
