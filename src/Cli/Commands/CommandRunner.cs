namespace Fleet.Cli.Commands;

/// <summary>Runs a command body so that a user error is one line on stderr and an exit code, never a stack trace.</summary>
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
            await Console.Error.WriteLineAsync($"fleet {commandName}: {error.Message}").ConfigureAwait(false);
            return error.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"fleet {commandName}: cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (IOException error)
        {
            await Console.Error.WriteLineAsync($"fleet {commandName}: {error.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (UnauthorizedAccessException error)
        {
            await Console.Error.WriteLineAsync($"fleet {commandName}: {error.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
