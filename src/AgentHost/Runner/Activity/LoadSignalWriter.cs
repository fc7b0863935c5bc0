using Fleet.OmegaWatt.Simulation;

namespace Fleet.AgentHost.Runner.Activity;

/// <summary>
/// Publishes the runner's activity for a simulated box wired to it (<c>--load-signal FILE</c> on
/// the runner, <c>--wire SOCKET=FILE</c> on the simulating agent): every ~100 ms, the cores the
/// runner's process tree used over the last interval, in the file's atomic format.
/// </summary>
public sealed class LoadSignalWriter
{
    /// <summary>Often enough that a 1 s identification slot shows, rarely enough to cost nothing.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    private readonly ProcessTreeActivity _activity;
    private readonly string _path;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;

    public LoadSignalWriter(ProcessTreeActivity activity, string path, TimeSpan? interval = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentException.ThrowIfNullOrEmpty(path);
        _activity = activity;
        _path = path;
        _interval = interval ?? DefaultInterval;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Writes until cancelled, then writes 0 cores: a stopped runner no longer loads its wired socket.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                LoadSignal.Write(_path, _activity.Sample());
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LoadSignal.Write(_path, 0);
        }
    }
}
