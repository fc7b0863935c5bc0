using System.Collections.Concurrent;
using Fleet.AgentHost.Components;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Runner;

/// <summary>
/// Records beside every running job: the component meters (discovered and started once per
/// runner, read by a recorder per job) and the CPU the job's process tree uses, into the job's
/// outbox every second, at each mark and at the end.
/// </summary>
public sealed class RunRecorder : IRunRecorder, IAsyncDisposable
{
    private readonly IReadOnlyList<IComponentMeter> _meters;
    private readonly ClusterClock _clock;
    private readonly TimeSpan _interval;
    private readonly ConcurrentDictionary<JobOutbox, Recording> _recordings = new();

    public RunRecorder(IReadOnlyList<IComponentMeter> meters, ClusterClock clock, TimeSpan? interval = null)
    {
        _meters = meters;
        _clock = clock;
        _interval = interval ?? ComponentRecorder.DefaultInterval;
    }

    public IReadOnlyList<ComponentStatus> Components => [.. _meters.Select(m => m.Status)];

    /// <summary>Starts the meters that sample in the background (nvidia-smi), so the hello says what really works.</summary>
    public async Task StartMetersAsync(CancellationToken cancellationToken)
    {
        foreach (var meter in _meters)
        {
            await meter.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IAsyncDisposable> StartAsync(int processId, JobOutbox outbox)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        var components = new ComponentRecorder(_meters, () => _clock.Now, _interval);
        await components.StartAsync(CancellationToken.None).ConfigureAwait(false);
        var recording = new Recording(this, outbox, components, new Activity.ProcessTreeActivity(processId));
        _recordings[outbox] = recording;
        recording.Start();
        return recording;
    }

    public void SampleNow(JobOutbox outbox)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        if (_recordings.TryGetValue(outbox, out var recording))
        {
            recording.Components.SampleNow();
            outbox.Components(recording.Components.Drain());
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var meter in _meters)
        {
            await meter.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class Recording : IAsyncDisposable
    {
        private readonly RunRecorder _owner;
        private readonly JobOutbox _outbox;
        private readonly Activity.ProcessTreeActivity _activity;
        private readonly CancellationTokenSource _stop = new();
        private Task? _loop;

        public Recording(RunRecorder owner, JobOutbox outbox, ComponentRecorder components, Activity.ProcessTreeActivity activity)
        {
            _owner = owner;
            _outbox = outbox;
            Components = components;
            _activity = activity;
        }

        public ComponentRecorder Components { get; }

        public void Start() => _loop = LoopAsync(_stop.Token);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            if (_loop is not null)
            {
                await _loop.ConfigureAwait(false);
            }

            // The last counter reading, at the end of the command.
            await Components.StopAsync().ConfigureAwait(false);
            _outbox.Components(Components.Drain());
            _owner._recordings.TryRemove(_outbox, out _);
            _stop.Dispose();
        }

        private async Task LoopAsync(CancellationToken cancellationToken)
        {
            _activity.Sample();
            using var timer = new PeriodicTimer(_owner._interval);
            try
            {
                while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                {
                    _outbox.Components(Components.Drain());
                    _outbox.Activity(new ActivitySample(_owner._clock.Now, _activity.Sample()));
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped with the job.
            }
        }
    }
}
