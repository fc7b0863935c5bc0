namespace Fleet.Cli.Local;

/// <summary>
/// The private PostgreSQL `fleet up` and `fleet demo` run on: <c>scripts/private-postgres.sh</c>
/// (Fleet's one implementation, which the tests use too) on a data directory of Fleet's own and
/// a loopback port. Installing the server when it is missing is the CLI's part.
/// </summary>
internal sealed class LocalPostgres
{
    private readonly string _directory;

    public LocalPostgres(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>
    /// The superuser fleet with the password scripts/private-postgres.sh made for this cluster
    /// (DIR/password, owner-only): the server takes no connection without it, local users included.
    /// </summary>
    public string ConnectionString
    {
        get
        {
            var file = Path.Combine(_directory, "password");
            var password = File.Exists(file) ? File.ReadAllText(file).Trim() : throw new CliException($"the local PostgreSQL has no password file ({file}): `fleet down` and `fleet up` again");
            return $"Host=127.0.0.1;Port={Port};Username=fleet;Password={password};Database=fleet";
        }
    }

    private static string Script => Checkout.Script("private-postgres.sh");

    /// <summary>Installs the Debian package when missing and running as root (saying so); otherwise says what to run.</summary>
    public static async Task EnsureInstalledAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        if (await IsInstalledAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (Environment.UserName != "root")
        {
            throw new CliException("PostgreSQL is not installed: run `sudo apt-get install -y postgresql` (Fleet starts its own private server from those binaries)");
        }

        await progress.WriteLineAsync("PostgreSQL is not installed: installing the Debian package (apt-get install postgresql)...").ConfigureAwait(false);
        await ProcessRunner.RunAsync("apt-get", ["update", "-qq"], cancellationToken).ConfigureAwait(false);
        await ProcessRunner.RunAsync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "postgresql"], cancellationToken, new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" }).ConfigureAwait(false);
        if (!await IsInstalledAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new CliException("apt-get installed postgresql but no server binaries were found under /usr/lib/postgresql");
        }
    }

    /// <summary>Creates the cluster on first use, starts it, and makes sure the fleet database exists.</summary>
    public Task StartAsync(CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(Script, ["start", _directory, Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], cancellationToken);

    /// <summary>Stops the server if it runs (nothing to do without one, or without the binaries).</summary>
    public Task StopAsync(CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(Script, ["stop", _directory, "fast"], cancellationToken);

    private static async Task<bool> IsInstalledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ProcessRunner.RunAsync(Script, ["binaries"], cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (CliException)
        {
            return false;
        }
    }
}
