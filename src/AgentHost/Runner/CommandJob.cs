using System.ComponentModel;
using System.Diagnostics;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Runner;

/// <summary>
/// An experiment's command on this machine: started with its argv, working directory and
/// environment; every line it prints goes to the outbox at cluster time, a stdout line
/// <c>FLEET_MARK name</c> also marks a phase at that instant; its exit code ends it. A cancel
/// sends SIGTERM, then SIGKILL to the whole tree after the grace period.
/// </summary>
public sealed class CommandJob : BackgroundJob
{
    /// <summary>What a command prints to start a phase; the rest of the line is the phase's name.</summary>
    public const string MarkPrefix = "FLEET_MARK ";

    private const string SetsidPath = "/usr/bin/setsid";

    /// <summary>How long output may stay open after the command exited (a background child holding it).</summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(2);

    private readonly RunSpec _run;
    private readonly ClusterClock _clock;
    private readonly IRunRecorder _recorder;

    public CommandJob(string jobId, RunSpec run, ClusterClock clock, IRunRecorder recorder)
        : base(jobId)
    {
        _run = run;
        _clock = clock;
        _recorder = recorder;
    }

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = _clock.Now;
        if (Resolve(_run.Command[0]) is null)
        {
            Outbox.Started(startedAt);
            Outbox.Ended(new RunOutcome(null, startedAt, _clock.Now, $"cannot start '{_run.Command[0]}': no such program (not a file, not on the runner's PATH)", Cancelled: false));
            return;
        }

        // In a session and process group of its own (setsid execs in place: same pid), so a
        // cancel reaches everything the command started, and what it leaves behind is killed.
        var session = File.Exists(SetsidPath);
        var start = new ProcessStartInfo(session ? SetsidPath : _run.Command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = _run.WorkingDirectory ?? string.Empty,
        };
        foreach (var argument in session ? _run.Command : _run.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _run.Environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["FLEET_EXPERIMENT"] = JobId;
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception error) when (error is Win32Exception or InvalidOperationException or DirectoryNotFoundException)
        {
            var reason = _run.WorkingDirectory is { } directory && !Directory.Exists(directory)
                ? $"no working directory {directory}"
                : $"cannot start '{_run.Command[0]}': {error.Message}";
            Outbox.Started(startedAt);
            Outbox.Ended(new RunOutcome(null, startedAt, _clock.Now, reason, Cancelled: false));
            return;
        }

        startedAt = _clock.Now;
        Outbox.Started(startedAt);
        process.StandardInput.Close();
        var recording = await _recorder.StartAsync(process.Id, Outbox).ConfigureAwait(false);
        var stdout = PumpAsync(process.StandardOutput, LogSource.Stdout);
        var stderr = PumpAsync(process.StandardError, LogSource.Stderr);
        var cancelled = false;
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            cancelled = true;
            await TerminateAsync(process).ConfigureAwait(false);
        }

        var endedAt = _clock.Now;
        var output = Task.WhenAll(stdout, stderr);
        if (await Task.WhenAny(output, Task.Delay(OutputGrace, CancellationToken.None)).ConfigureAwait(false) != output)
        {
            // Something the command started still holds its output open: it is over with the command.
            Signals.KillGroup(process.Id);
            // A process that left the group (a daemon) keeps its copy; the job ends without it.
            await Task.WhenAny(output, Task.Delay(OutputGrace, CancellationToken.None)).ConfigureAwait(false);
        }
        // The last counter reading, at the end of the command.
        await recording.DisposeAsync().ConfigureAwait(false);
        Outbox.Ended(new RunOutcome(process.ExitCode, startedAt, endedAt, cancelled ? "cancelled" : null, cancelled));
    }

    private async Task TerminateAsync(Process process)
    {
        if (Signals.TerminateGroup(process.Id) || Signals.Terminate(process.Id))
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(0, _run.CancelGraceSeconds)));
            try
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException)
            {
                // Ignored SIGTERM for the whole grace period: SIGKILL, children included.
            }
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The program's path, or null when there is none (so the error names the program, not setsid).</summary>
    private string? Resolve(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.IsPathRooted(program) ? program : Path.Combine(_run.WorkingDirectory ?? Environment.CurrentDirectory, program);
            return File.Exists(path) ? path : null;
        }

        var search = _run.Environment.TryGetValue("PATH", out var own) ? own : Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return search.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
    }

    private async Task PumpAsync(StreamReader output, LogSource source)
    {
        var reader = new OutputLineReader(output);
        while (await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
        {
            var at = _clock.Now;
            Outbox.Line(at, source, line);
            if (source == LogSource.Stdout && line.StartsWith(MarkPrefix, StringComparison.Ordinal) && line[MarkPrefix.Length..].Trim() is { Length: > 0 } name)
            {
                _recorder.SampleNow(Outbox);
                Outbox.Mark(name, at);
            }
        }
    }
}
