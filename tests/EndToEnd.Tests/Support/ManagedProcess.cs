using System.Collections.Concurrent;
using System.Diagnostics;

namespace Fleet.EndToEnd.Tests.Support;

/// <summary>A `dotnet X.dll` child process whose output is kept for failure messages and which never outlives the test.</summary>
internal sealed class ManagedProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    /// <param name="removed">Variables of the test's own environment the process must not inherit (e.g. database connection strings).</param>
    public ManagedProcess(string dll, IEnumerable<string> arguments, IDictionary<string, string> environment, IEnumerable<string>? removed = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in removed ?? [])
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        Environment = new Dictionary<string, string?>(start.Environment);

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The environment the process was started with, exactly.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; }

    public int ExitCode => _process.ExitCode;

    public string Output => string.Join('\n', _output);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"process did not exit within {timeout}; output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits until the process has printed <paramref name="text"/>; fails with its output if it exits or the time runs out first.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                // One last look: the line may have arrived with the exit.
                if (Output.Contains(text, StringComparison.Ordinal))
                {
                    return;
                }

                throw new TimeoutException($"'{text}' never appeared{(_process.HasExited ? $" (exited with {_process.ExitCode})" : string.Empty)}:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: the process dies mid-write, as in a crash or a power cut.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 400)
        {
            _output.TryDequeue(out _);
        }
    }
}
