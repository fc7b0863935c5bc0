using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Components;

/// <summary>
/// Every GPU's energy from one long-running <c>nvidia-smi --query-gpu=index,power.draw.instant
/// -lms P</c>, integrated per GPU (<see cref="PowerIntegrator"/>) and summed: the fallback when
/// NVML has no energy counter to read. <see cref="ReadJoules"/> covers up to the moment of the
/// read, each GPU's last power held since its last line (at most <see cref="NvidiaSmiOptions.MaxHold"/>),
/// so a reading's time and its joules agree even when nvidia-smi's lines come late.
/// </summary>
public sealed class NvidiaSmiMeter : IComponentMeter
{
    public const string NotFoundReason = "no nvidia-smi on PATH";

    /// <summary>The power at the moment of the query (drivers from 535 on).</summary>
    public const string InstantField = "power.draw.instant";

    /// <summary>On recent GPUs a 1 s trailing average, so a 100 ms sampler of it still misses spikes; used only when the instant value is missing.</summary>
    public const string AverageField = "power.draw";

    private const int StderrLinesKept = 5;

    private readonly NvidiaSmiOptions _options;
    private readonly string _path;
    private readonly string? _executable;
    private readonly string? _field;
    private readonly int _gpus;
    private readonly ComponentStatus _probed;
    private readonly Lock _gate = new();
    private readonly PowerIntegrator _integrator;
    private readonly Queue<string> _stderr = new();
    private readonly TaskCompletionSource _firstRound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private Process? _process;
    private Task? _reader;
    private long _startedAt;
    private string? _failure;
    private bool _started;

    private NvidiaSmiMeter(NvidiaSmiOptions options, string path, string? executable, string? field, int gpus, ComponentStatus probed)
    {
        _options = options;
        _path = path;
        _executable = executable;
        _field = field;
        _gpus = gpus;
        _probed = probed;
        _integrator = new PowerIntegrator(options.MaxHold);
    }

    public string Component => ComponentNames.Gpu;

    /// <summary>Whether nvidia-smi was found on the search path (whatever it then said).</summary>
    public bool Found => _executable is not null;

    public ComponentStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _failure is null ? _probed : _probed with { Available = false, Reason = _failure };
            }
        }
    }

    /// <summary>
    /// Finds nvidia-smi on the search path and asks it once for every GPU's instant power, then
    /// (when that is [N/A], [Not Supported] or an unknown field on an older driver) for
    /// power.draw. Never throws: what went wrong is in <see cref="Status"/>.
    /// </summary>
    public static NvidiaSmiMeter Create(NvidiaSmiOptions? options = null)
    {
        options ??= new NvidiaSmiOptions();
        var path = options.SearchPath ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var executable = FindOnPath(path);
        if (executable is null)
        {
            return new NvidiaSmiMeter(options, path, null, null, 0, Unavailable(NotFoundReason));
        }

        var instant = Probe(executable, InstantField, options, path);
        if (instant.Gpus > 0)
        {
            return new NvidiaSmiMeter(options, path, executable, InstantField, instant.Gpus, Available(InstantField, instant.Gpus, options.Period, note: null));
        }

        if (!instant.FieldProblem)
        {
            return new NvidiaSmiMeter(options, path, executable, null, 0, Unavailable(instant.Problem));
        }

        var average = Probe(executable, AverageField, options, path);
        if (average.Gpus > 0)
        {
            var note = $"{InstantField} {instant.Problem}, so {AverageField}: a 1 s trailing average on recent GPUs that misses spikes";
            return new NvidiaSmiMeter(options, path, executable, AverageField, average.Gpus, Available(AverageField, average.Gpus, options.Period, note));
        }

        return new NvidiaSmiMeter(options, path, executable, null, 0, Unavailable($"nvidia-smi gives no GPU power: {InstantField} {instant.Problem}; {AverageField} {average.Problem}"));
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_started || !_probed.Available)
            {
                return;
            }

            _started = true;
        }

        var milliseconds = Math.Max(1, (int)_options.Period.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        var process = new Process { StartInfo = StartInfo(_executable!, [$"--query-gpu=index,{_field}", "--format=csv,noheader,nounits", "-lms", milliseconds], _path) };
        process.ErrorDataReceived += (_, line) => KeepError(line.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            process.Dispose();
            Fail($"nvidia-smi did not start: {exception.Message}");
            return;
        }

        process.BeginErrorReadLine();
        _startedAt = _options.Time.GetTimestamp();
        _process = process;
        _reader = Task.Run(() => ReadAsync(process, _stopping.Token), CancellationToken.None);
        try
        {
            // Counting starts at each GPU's first line: wait for one from every GPU so the
            // recorder's first sample comes after integration began.
            await _firstRound.Task.WaitAsync(_options.StartTimeout, _options.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Fail($"nvidia-smi printed no power for all {_gpus} GPUs within {_options.StartTimeout.TotalSeconds:0} s");
            Kill(process);
        }
    }

    public double ReadJoules()
    {
        lock (_gate)
        {
            if (!_started || _failure is not null || !_probed.Available)
            {
                throw new InvalidOperationException(_failure ?? _probed.Reason ?? "nvidia-smi meter not started");
            }

            return _integrator.JoulesAt(_options.Time.GetElapsedTime(_startedAt));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_process is { } process)
        {
            Kill(process);
            if (_reader is { } reader)
            {
                await reader.ConfigureAwait(false);
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            process.Dispose();
        }

        _stopping.Dispose();
    }

    private async Task ReadAsync(Process process, CancellationToken cancellationToken)
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                // A GPU's [N/A] line in the middle of a run is skipped: its last power holds
                // until its next valid line.
                if (!TryParse(line, out var gpu, out var watts))
                {
                    continue;
                }

                lock (_gate)
                {
                    // Timed under the lock: a reading between the clock and the lock would hold
                    // the old power past this line's time, and the next reading would go back.
                    _integrator.Add(gpu, _options.Time.GetElapsedTime(_startedAt), watts);
                    if (_integrator.Devices >= _gpus)
                    {
                        _firstRound.TrySetResult();
                    }
                }
            }

            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (!cancellationToken.IsCancellationRequested)
            {
                var elapsed = _options.Time.GetElapsedTime(_startedAt).TotalSeconds;
                Fail(string.Create(CultureInfo.InvariantCulture, $"nvidia-smi exited with code {process.ExitCode} after {elapsed:0.0} s{ErrorTail()}"));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: the process was killed on purpose.
        }
    }

    private void Fail(string reason)
    {
        lock (_gate)
        {
            _failure ??= reason;
        }

        _firstRound.TrySetResult();
    }

    private void KeepError(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        lock (_gate)
        {
            _stderr.Enqueue(line.Trim());
            while (_stderr.Count > StderrLinesKept)
            {
                _stderr.Dequeue();
            }
        }
    }

    private string ErrorTail()
    {
        lock (_gate)
        {
            return _stderr.Count == 0 ? string.Empty : ": " + string.Join(" | ", _stderr);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static string? FindOnPath(string path)
    {
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "nvidia-smi");
            if (File.Exists(candidate)
                && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return candidate;
            }
        }

        return null;
    }

    private static ProbeResult Probe(string executable, string field, NvidiaSmiOptions options, string path)
    {
        using var process = new Process { StartInfo = StartInfo(executable, [$"--query-gpu=index,{field}", "--format=csv,noheader,nounits"], path) };
        var output = new StringBuilder();
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, line) => output.AppendLine(line.Data);
        process.ErrorDataReceived += (_, line) => errors.AppendLine(line.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            return new ProbeResult(0, $"nvidia-smi did not start: {exception.Message}", FieldProblem: false);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(options.StartTimeout))
        {
            Kill(process);
            process.WaitForExit();
            return new ProbeResult(0, $"nvidia-smi did not answer within {options.StartTimeout.TotalSeconds:0} s", FieldProblem: false);
        }

        // Without a timeout, this also waits for the output handlers to see the end of both pipes.
        process.WaitForExit();
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0)
        {
            var message = FirstLine(errors.ToString()) ?? FirstLine(output.ToString()) ?? "no message";
            // Exit 2 is nvidia-smi's "invalid argument": an older driver that does not know the field.
            var unknownField = process.ExitCode == 2 || message.Contains("not a valid field", StringComparison.OrdinalIgnoreCase);
            return unknownField
                ? new ProbeResult(0, $"is not a field this driver knows ({message})", FieldProblem: true)
                : new ProbeResult(0, $"nvidia-smi failed (exit {process.ExitCode}): {message}", FieldProblem: false);
        }

        if (lines.Length == 0)
        {
            return new ProbeResult(0, "nvidia-smi lists no GPU", FieldProblem: false);
        }

        foreach (var line in lines)
        {
            if (!TryParse(line, out _, out _))
            {
                var value = line.Contains(',', StringComparison.Ordinal) ? line[(line.IndexOf(',', StringComparison.Ordinal) + 1)..].Trim() : line;
                return new ProbeResult(0, $"is {value} for GPU {line.Split(',')[0].Trim()}", FieldProblem: true);
            }
        }

        return new ProbeResult(lines.Length, string.Empty, FieldProblem: false);
    }

    /// <summary>Reads "index, watts"; false for [N/A], [Not Supported] and anything else that is not a number.</summary>
    internal static bool TryParse(string line, out int gpu, out double watts)
    {
        watts = 0;
        var comma = line.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0 || !int.TryParse(line.AsSpan(0, comma).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out gpu))
        {
            gpu = -1;
            return false;
        }

        return double.TryParse(line.AsSpan(comma + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out watts)
            && double.IsFinite(watts);
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

    private static ProcessStartInfo StartInfo(string executable, IEnumerable<string> arguments, string path)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PATH"] = path;
        return start;
    }

    private static ComponentStatus Available(string field, int gpus, TimeSpan period, string? note)
    {
        var count = gpus == 1 ? "1 GPU" : $"{gpus} GPUs";
        var source = string.Create(
            CultureInfo.InvariantCulture,
            $"nvidia-smi {field} every {period.TotalMilliseconds:0} ms, integrated ({count}{(note is null ? string.Empty : "; " + note)})");
        return new ComponentStatus(ComponentNames.Gpu, Available: true, Source: source);
    }

    private static ComponentStatus Unavailable(string reason) => new(ComponentNames.Gpu, Available: false, Source: "nvidia-smi", Reason: reason);

    private sealed record ProbeResult(int Gpus, string Problem, bool FieldProblem);
}
