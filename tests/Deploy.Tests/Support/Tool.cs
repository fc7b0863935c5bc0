using System.Diagnostics;

namespace Fleet.Deploy.Tests.Support;

/// <summary>The outcome of a command line tool run to completion.</summary>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput + StandardError;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>
/// Runs the system tools the deployment is checked with (promtool, docker-compose). A missing tool
/// is a failure that says what to install, never a skipped test: scripts/require-packages.sh installs them.
/// </summary>
public static class Tool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static async Task<ToolResult> RunAsync(
        string command,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var path = Find(command) ?? throw new InvalidOperationException(
            $"'{command}' is not installed: run scripts/require-packages.sh as root (apt-get install -y {Package(command)})");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? DeployFiles.RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        using var cancellation = new CancellationTokenSource(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(cancellation.Token);
        var errors = process.StandardError.ReadToEndAsync(cancellation.Token);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', arguments)} did not finish within {Timeout}");
        }

        return new ToolResult(process.ExitCode, await output, await errors);
    }

    private static string? Find(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists);

    private static string Package(string command) => command switch
    {
        "promtool" => "prometheus",
        _ => command,
    };
}
