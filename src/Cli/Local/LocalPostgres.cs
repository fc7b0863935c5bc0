using System.Diagnostics;
using System.Globalization;

namespace Fleet.Cli.Local;

/// <summary>
/// A private PostgreSQL from the system's binaries in a data directory of Fleet's own
/// (<c>$FLEET_DATA/postgres</c>), on a loopback port: what `fleet up` and `fleet demo` run on.
/// As root it runs as the postgres user, since initdb refuses root.
/// </summary>
internal sealed class LocalPostgres
{
    private readonly string _directory;
    private readonly bool _asPostgresUser = Environment.UserName == "root";

    public LocalPostgres(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=fleet;Database=fleet";

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>The newest server binaries under /usr/lib/postgresql, or null.</summary>
    public static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Where(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                .OrderBy(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture))
                .Select(d => Path.Combine(d, "bin"))
                .LastOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;

    /// <summary>Installs the Debian package when missing and running as root (saying so); otherwise says what to run.</summary>
    public static async Task<string> EnsureInstalledAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        if (FindBinaries() is { } found)
        {
            return found;
        }

        if (Environment.UserName != "root")
        {
            throw new CliException("PostgreSQL is not installed: run `sudo apt-get install -y postgresql` (Fleet starts its own private server from those binaries)");
        }

        await progress.WriteLineAsync("PostgreSQL is not installed: installing the Debian package (apt-get install postgresql)...").ConfigureAwait(false);
        await ProcessRunner.RunAsync("apt-get", ["update", "-qq"], cancellationToken).ConfigureAwait(false);
        await ProcessRunner.RunAsync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "postgresql"], cancellationToken, new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" }).ConfigureAwait(false);
        return FindBinaries() ?? throw new CliException("apt-get installed postgresql but no server binaries were found under /usr/lib/postgresql");
    }

    /// <summary>Creates the cluster on first use, starts it, and makes sure the fleet database exists.</summary>
    public async Task StartAsync(string binaries, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        if (_asPostgresUser)
        {
            await ProcessRunner.RunAsync("chown", ["-R", "postgres:", _directory], cancellationToken).ConfigureAwait(false);
        }

        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await RunAsync(binaries, "initdb", ["-D", DataDirectory, "-U", "fleet", "--auth=trust", "-E", "UTF8", "--no-locale"], cancellationToken).ConfigureAwait(false);
        }

        if (!await IsRunningAsync(binaries, cancellationToken).ConfigureAwait(false))
        {
            await RunAsync(binaries, "pg_ctl", [
                "-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
                "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1", "start",
            ], cancellationToken).ConfigureAwait(false);
        }

        // `createdb` fails when it exists; that is the one failure we expect.
        try
        {
            await RunAsync(binaries, "createdb", ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "fleet", "fleet"], cancellationToken).ConfigureAwait(false);
        }
        catch (CliException error) when (error.Message.Contains("already exists", StringComparison.Ordinal))
        {
        }
    }

    public async Task StopAsync(string binaries, CancellationToken cancellationToken)
    {
        if (await IsRunningAsync(binaries, cancellationToken).ConfigureAwait(false))
        {
            await RunAsync(binaries, "pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> IsRunningAsync(string binaries, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            return false;
        }

        try
        {
            await RunAsync(binaries, "pg_ctl", ["-D", DataDirectory, "status"], cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (CliException)
        {
            return false;
        }
    }

    private Task<string> RunAsync(string binaries, string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(binaries, tool);
        return _asPostgresUser
            ? ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], cancellationToken)
            : ProcessRunner.RunAsync(path, arguments, cancellationToken);
    }
}
