using System.Diagnostics;

namespace Fleet.Cli.Local;

/// <summary>Runs a tool to completion; a failure becomes a one-line <see cref="CliException"/> with its stderr.</summary>
internal static class ProcessRunner
{
    public static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new CliException($"{file} did not start");
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new CliException($"cannot run {file}: {error.Message}");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                var message = (await errors.ConfigureAwait(false)).Trim();
                throw new CliException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {(message.Length > 0 ? message.Split('\n')[^1] : "no message")}");
            }

            return await output.ConfigureAwait(false);
        }
    }

    /// <summary>Whether a check tool exits 0 (a non-zero exit is an answer here, not a failure).</summary>
    public static async Task<bool> SucceedsAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new CliException($"{file} did not start");
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode == 0;
    }
}
