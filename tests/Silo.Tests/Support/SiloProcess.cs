using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Fleet.Silo.Tests.Support;

/// <summary>
/// The real silo, <c>dotnet Fleet.Silo.dll</c>, as a child process on free loopback ports, configured
/// only through the environment as an operator would. It is killed with its process tree on
/// dispose, and when the test host exits, so a failed or aborted test leaves no silo behind.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    /// <summary>Migrations plus Orleans start-up take a few seconds; a loaded CI machine more.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>How much of the silo's console output is kept to explain a failed start.</summary>
    private const int MaxOutputLines = 200;

    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private static int _exitHookInstalled;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private SiloProcess(Process process, ConcurrentQueue<string> output, Uri baseAddress)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    /// <summary>A client on the silo's HTTP address, without credentials.</summary>
    public HttpClient Http { get; }

    /// <summary>The silo's build output: the test project references Silo.csproj, which copies it next to the tests.</summary>
    public static string SiloDll { get; } = Path.Combine(AppContext.BaseDirectory, "Fleet.Silo.dll");

    /// <summary>Starts a silo on <paramref name="connectionString"/> and waits until /healthz answers ok.</summary>
    /// <remarks>
    /// By default it is started from the temporary directory, as <c>dotnet /opt/fleet/Fleet.Silo.dll</c>
    /// would be; <paramref name="workingDirectory"/> starts it elsewhere (its own directory, as a
    /// service unit might).
    /// </remarks>
    public static async Task<SiloProcess> StartAsync(string connectionString, string? apiToken = null, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var ports = FreePorts(3);
        var baseAddress = new Uri($"http://127.0.0.1:{ports[0]}");
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Fleet"] = connectionString,
            ["ASPNETCORE_URLS"] = baseAddress.ToString(),
            ["Fleet__SiloPort"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Fleet__GatewayPort"] = ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Fleet__Clustering"] = "Localhost",
            ["Fleet__ApiToken"] = apiToken,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var output = new ConcurrentQueue<string>();
        var process = Launch(environment, output, output, workingDirectory);
        var silo = new SiloProcess(process, output, baseAddress);
        try
        {
            await silo.WaitUntilHealthyAsync();
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the silo with exactly <paramref name="environment"/> (on top of a clean one) until it exits by itself.</summary>
    public static async Task<(int ExitCode, string StandardError)> RunToExitAsync(IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        var output = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        using var process = Launch(environment, output, errors);
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(cancel.Token);
            return (process.ExitCode, string.Join('\n', errors));
        }
        finally
        {
            Stop(process);
        }
    }

    /// <summary>The silo's recent console output, for failure messages.</summary>
    public string OutputTail() => string.Join('\n', _output);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Stop(_process);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed but not reaped in time: the exit hook tries again when the test host ends.
            return;
        }

        _process.Dispose();
    }

    private static Process Launch(IReadOnlyDictionary<string, string?> environment, ConcurrentQueue<string> output, ConcurrentQueue<string> errors, string? workingDirectory = null)
    {
        if (!File.Exists(SiloDll))
        {
            throw new FileNotFoundException($"{SiloDll} not found: the test project must reference src/Silo/Silo.csproj", SiloDll);
        }

        InstallExitHook();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Started from elsewhere unless told otherwise: the silo must not depend on the
            // caller's working directory to find its settings.
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add(SiloDll);

        // Only what the test says: nothing the developer's shell exports may configure the silo.
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("Fleet__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
                || key.Equals("URLS", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment)
        {
            if (value is not null)
            {
                start.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(errors, e.Data);
        process.Start();
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the silo exited with code {_process.ExitCode} before answering /healthz:\n{OutputTail()}");
            }

            try
            {
                using var response = await probe.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK && await response.Content.ReadAsStringAsync() == "ok")
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet: migrations and Orleans start before Kestrel.
            }
            catch (TaskCanceledException)
            {
                // The probe's own timeout: try again until the deadline.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"the silo did not answer /healthz on {BaseAddress} within {StartTimeout}:\n{OutputTail()}");
    }

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        while (lines.Count > MaxOutputLines && lines.TryDequeue(out _))
        {
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }

        Running.TryRemove(process.Id, out _);
    }

    private static void InstallExitHook()
    {
        // A test host that ends without disposing its fixtures (a crash, a cancelled run) still
        // takes its silos down with it.
        if (Interlocked.Exchange(ref _exitHookInstalled, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                foreach (var process in Running.Values)
                {
                    try
                    {
                        process.Kill(entireProcessTree: true);
                    }
                    catch (InvalidOperationException)
                    {
                        // Already gone.
                    }
                }
            };
        }
    }

    private static int[] FreePorts(int count)
    {
        // Held open together so the ports differ, released just before the silo binds them.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
