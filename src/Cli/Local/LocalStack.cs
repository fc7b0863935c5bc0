using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Fleet.Cli.Api;
using Fleet.OmegaWatt.Time;

namespace Fleet.Cli.Local;

/// <summary>
/// Fleet on one machine: a private PostgreSQL, a silo, and an agent with the simulated demo box,
/// all on loopback, their state and logs in one data directory.
/// </summary>
internal sealed class LocalStack
{
    public const string DemoBoxId = "sim-1";
    private static readonly JsonSerializerOptions StateJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public LocalStack(string dataDirectory) => DataDirectory = dataDirectory;

    public string DataDirectory { get; }

    private string StatePath => Path.Combine(DataDirectory, "stack.json");

    /// <summary>
    /// As root the server runs as the postgres user, who cannot enter root's home: its data then
    /// lives under /var/lib/fleet, one directory per Fleet data directory.
    /// </summary>
    private string PostgresDirectory => Environment.UserName == "root"
        ? Path.Combine("/var/lib/fleet", "postgres-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(DataDirectory))))[..12].ToLowerInvariant())
        : Path.Combine(DataDirectory, "postgres");

    /// <summary>FLEET_DATA, else ~/.local/share/fleet: where `fleet up` keeps its database, spool and logs.</summary>
    public static string DefaultDataDirectory =>
        Environment.GetEnvironmentVariable("FLEET_DATA")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "fleet");

    public StackState? ReadState()
    {
        if (!File.Exists(StatePath))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<StackState>(File.ReadAllText(StatePath), StateJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Starts everything: an agent reading the given serial ports (PORT=BOX), or without any, the
    /// simulated box, whose first frame time is pinned and returned in the state.
    /// </summary>
    public async Task<StackState> UpAsync(bool preferDefaultPorts, TextWriter progress, IReadOnlyList<SerialBox> serialBoxes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serialBoxes);
        if (ReadState() is { } running && IsAlive(running.SiloProcessId))
        {
            throw new CliException($"a local stack is already running from {DataDirectory} ({running.Url}); `fleet down` stops it");
        }

        Directory.CreateDirectory(DataDirectory);
        await LocalPostgres.EnsureInstalledAsync(progress, cancellationToken).ConfigureAwait(false);
        var (silo, agent) = await Binaries.EnsureBuiltAsync(progress, cancellationToken).ConfigureAwait(false);
        var httpPort = Port(preferDefaultPorts ? 5080 : 0);
        var siloPort = Port(preferDefaultPorts ? 11111 : 0);
        var gatewayPort = Port(preferDefaultPorts ? 30000 : 0);
        var postgresPort = Port(preferDefaultPorts ? 55432 : 0);

        await progress.WriteLineAsync($"starting PostgreSQL on 127.0.0.1:{postgresPort} ({PostgresDirectory})...").ConfigureAwait(false);
        var postgres = new LocalPostgres(PostgresDirectory, postgresPort);
        await postgres.StartAsync(cancellationToken).ConfigureAwait(false);

        await progress.WriteLineAsync($"starting the silo on http://127.0.0.1:{httpPort}...").ConfigureAwait(false);
        var siloId = StartDetached(silo, [], Path.Combine(DataDirectory, "silo.log"), new Dictionary<string, string>
        {
            ["ConnectionStrings__Fleet"] = postgres.ConnectionString,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}",
            ["Fleet__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Fleet__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
        });
        var state = new StackState(siloId, 0, httpPort, siloPort, gatewayPort, postgresPort, DataDirectory, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        await WriteStateAsync(state).ConfigureAwait(false);
        await WaitForSiloAsync(state, cancellationToken).ConfigureAwait(false);

        if (serialBoxes.Count > 0)
        {
            await progress.WriteLineAsync($"starting an agent reading {string.Join(", ", serialBoxes.Select(b => $"{b.Port} as box {b.Box}"))}...").ConfigureAwait(false);
            // Frames are timed by the agent's clock model on this host's UTC clock; each box spools
            // under the data directory (FLEET_DATA), as the agent does by default.
            var agentArguments = new List<string> { "--gateway-port", gatewayPort.ToString(CultureInfo.InvariantCulture), "--report-every", "30" };
            foreach (var serialBox in serialBoxes)
            {
                agentArguments.AddRange(["--serial", $"{serialBox.Port}={serialBox.Box}"]);
            }

            var serialAgentId = StartDetached(agent, agentArguments, Path.Combine(DataDirectory, "agent.log"), new Dictionary<string, string> { ["FLEET_DATA"] = DataDirectory });
            state = state with { AgentProcessId = serialAgentId, Boxes = [.. serialBoxes.Select(b => b.Box)] };
            await WriteStateAsync(state).ConfigureAwait(false);
            return state;
        }

        await progress.WriteLineAsync($"starting an agent with a simulated box ({DemoBoxId}: machines on sockets 1-3)...").ConfigureAwait(false);
        // The box's first frame is pinned to the agent's start, so the profile's clock is known exactly.
        var agentStart = DateTimeOffset.FromUnixTimeMilliseconds((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 100 * 100) + 100);
        var agentId = StartDetached(agent, [
            "--simulate", "--box", DemoBoxId, "--start", IsoTime.Format(agentStart),
            "--gateway-port", gatewayPort.ToString(CultureInfo.InvariantCulture), "--spool", Path.Combine(DataDirectory, "spool", DemoBoxId),
            "--report-every", "30",
        ], Path.Combine(DataDirectory, "agent.log"), new Dictionary<string, string>());
        state = state with { AgentProcessId = agentId, BoxStart = agentStart, Boxes = [DemoBoxId] };
        await WriteStateAsync(state).ConfigureAwait(false);
        return state;
    }

    public async Task DownAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        var state = ReadState();
        if (state is not null)
        {
            foreach (var (name, id) in new[] { ("agent", state.AgentProcessId), ("silo", state.SiloProcessId) })
            {
                if (id > 0 && IsAlive(id))
                {
                    await progress.WriteLineAsync($"stopping the {name} (pid {id})...").ConfigureAwait(false);
                    await StopProcessAsync(id, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (Directory.Exists(PostgresDirectory))
        {
            await progress.WriteLineAsync("stopping PostgreSQL...").ConfigureAwait(false);
            await new LocalPostgres(PostgresDirectory, state?.PostgresPort ?? 0).StopAsync(cancellationToken).ConfigureAwait(false);
        }

        File.Delete(StatePath);
    }

    /// <summary>Removes the stack's PostgreSQL data when it lives outside the data directory (root's case).</summary>
    public void DeletePostgresData()
    {
        if (Directory.Exists(PostgresDirectory) && !PostgresDirectory.StartsWith(DataDirectory, StringComparison.Ordinal))
        {
            Directory.Delete(PostgresDirectory, recursive: true);
        }
    }

    public static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task StopProcessAsync(int processId, CancellationToken cancellationToken)
    {
        // SIGTERM first, so the agent closes its spool and the silo leaves the cluster cleanly.
        await ProcessRunner.RunAsync("kill", ["-TERM", processId.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (IsAlive(processId) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        if (IsAlive(processId))
        {
            using var process = Process.GetProcessById(processId);
            process.Kill(entireProcessTree: true);
        }
    }

    private static int StartDetached(string dll, IReadOnlyList<string> arguments, string logPath, IReadOnlyDictionary<string, string> environment)
    {
        // Through sh so the output goes to a log file and the process outlives `fleet up`.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$FLEET_LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["FLEET_LOG"] = logPath;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new CliException($"could not start {Path.GetFileName(dll)}");
        return process.Id;
    }

    private static async Task WaitForSiloAsync(StackState state, CancellationToken cancellationToken)
    {
        using var client = new FleetApiClient(ApiSettings.Resolve(state.Url, null));
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (!IsAlive(state.SiloProcessId))
            {
                var log = Path.Combine(state.DataDirectory, "silo.log");
                var last = File.Exists(log) ? File.ReadLines(log).LastOrDefault(l => l.Trim().Length > 0) : null;
                throw new CliException($"the silo exited during start-up: {last ?? "no output"} (log: {log})");
            }

            if (await client.IsHealthyAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }

        throw new CliException($"the silo did not answer on {state.Url} within 90 s (log: {Path.Combine(state.DataDirectory, "silo.log")})");
    }

    private static int Port(int preferred)
    {
        if (preferred > 0)
        {
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, preferred);
                probe.Start();
                return preferred;
            }
            catch (SocketException)
            {
                throw new CliException($"port {preferred} is in use on 127.0.0.1 (another Fleet stack? `fleet status`, `fleet down`)");
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task WriteStateAsync(StackState state) => File.WriteAllTextAsync(StatePath, JsonSerializer.Serialize(state, StateJson));
}
