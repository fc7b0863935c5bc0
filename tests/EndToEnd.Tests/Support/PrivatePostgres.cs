using System.Diagnostics;
using System.Globalization;

namespace Fleet.EndToEnd.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of this test's own (the system binaries, a temp data directory, a free
/// loopback port), so a test may stop and restart it without disturbing other test classes.
/// As root it runs as the postgres user, since initdb refuses root.
/// </summary>
internal sealed class PrivatePostgres : IDisposable
{
    private readonly string _bin;
    private readonly string _directory;
    private readonly bool _asPostgresUser = Environment.UserName == "root";

    public PrivatePostgres()
    {
        _bin = Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture)).Select(d => Path.Combine(d, "bin")).LastOrDefault(Directory.Exists)
            ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)");
        _directory = Directory.CreateTempSubdirectory("fleet-private-pg-").FullName;
        Port = FreePorts.Next();
        if (_asPostgresUser)
        {
            Run("chown", ["postgres:", _directory]);
        }

        RunAsPostgres("initdb", ["-D", DataDirectory, "-U", "fleet", "--auth=trust", "-E", "UTF8", "--no-locale"]);
        Start();
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=fleet;Database=postgres;Timeout=5;Command Timeout=30";

    private string DataDirectory => Path.Combine(_directory, "data");

    public void Start() => RunAsPostgres("pg_ctl", [
        "-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
        "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off", "start",
    ]);

    /// <summary>An immediate stop: connections drop at once, as when the database host dies.</summary>
    public void Stop() => RunAsPostgres("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);

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

    private void RunAsPostgres(string tool, string[] arguments)
    {
        var path = Path.Combine(_bin, tool);
        if (_asPostgresUser)
        {
            Run("runuser", ["-u", "postgres", "--", path, .. arguments]);
        }
        else
        {
            Run(path, arguments);
        }
    }

    private static void Run(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
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
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors}{output.Result}");
        }
    }
}
