using System.Diagnostics;
using System.Text;

namespace Fleet.EndToEnd.Tests.Support;

/// <summary>Runs the built `fleet` as a user would and captures what it printed.</summary>
internal static class FleetCli
{
    /// <summary>stdout as text.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var (exitCode, output, error) = await RunBytesAsync(arguments, environment, timeout);
        return (exitCode, Encoding.UTF8.GetString(output), error);
    }

    /// <summary>
    /// Runs fleet against <paramref name="silo"/>: <c>--url</c> goes before <c>--</c>, since what
    /// follows it is the command of `fleet run` or `fleet submit`.
    /// </summary>
    public static Task<(int ExitCode, string Output, string Error)> AgainstAsync(SiloProcess silo, IReadOnlyList<string> arguments, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(arguments);
        var split = arguments.ToList().IndexOf("--");
        string[] url = ["--url", $"http://127.0.0.1:{silo.HttpPort}"];
        return RunAsync(split < 0 ? [.. arguments, .. url] : [.. arguments.Take(split), .. url, .. arguments.Skip(split)], timeout: timeout);
    }

    /// <summary>stdout as bytes (export's CSV is compared byte for byte).</summary>
    public static async Task<(int ExitCode, byte[] Output, string Error)> RunBytesAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Binaries.Cli);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The developer's own silo settings must not leak into a test.
        start.Environment.Remove("FLEET_TOKEN");
        start.Environment.Remove("FLEET_URL");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fleet {string.Join(' ', arguments)} did not exit in time");
        }

        await copy;
        return (process.ExitCode, output.ToArray(), await error);
    }
}
