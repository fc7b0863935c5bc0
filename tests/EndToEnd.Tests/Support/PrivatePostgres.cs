using System.Diagnostics;
using System.Globalization;

namespace Fleet.EndToEnd.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of this test's own (a temp data directory, a free loopback port), so a
/// test may stop and restart it without disturbing other test classes. It is
/// scripts/private-postgres.sh, the same private server `fleet up` and ./test run.
/// </summary>
internal sealed class PrivatePostgres : IDisposable
{
    private readonly string _directory;

    public PrivatePostgres()
    {
        _directory = Directory.CreateTempSubdirectory("fleet-private-pg-").FullName;
        Port = FreePorts.Next();
        Start();
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=fleet;Database=postgres;Timeout=5;Command Timeout=30";

    private static string Script => Path.Combine(Binaries.Repository, "scripts", "private-postgres.sh");

    public void Start() => Run("start", _directory, Port.ToString(CultureInfo.InvariantCulture), "fsync=off");

    /// <summary>An immediate stop: connections drop at once, as when the database host dies.</summary>
    public void Stop() => Run("stop", _directory, "immediate");

    public void Dispose()
    {
        try
        {
            Stop();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static void Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Script) { RedirectStandardOutput = true, RedirectStandardError = true };
        // A test's own throwaway cluster, like ./test's: trust authentication, never used by `fleet up`.
        start.Environment["FLEET_PG_AUTH"] = "trust";
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"private-postgres.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors}{output.Result}");
        }
    }
}
