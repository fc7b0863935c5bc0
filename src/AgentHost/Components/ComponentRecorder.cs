using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Components;

/// <summary>
/// Records every available component meter while a job runs: a sample at start, one every
/// <see cref="DefaultInterval"/>, one whenever the runner asks (marks, end), each at cluster time
/// with joules since this recorder started. The runner drains them into its reports.
/// </summary>
public sealed class ComponentRecorder : IAsyncDisposable
{
    /// <summary>Often enough that no RAPL counter wraps twice between reads, and phase edges interpolate over at most a second.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>Samples kept while nobody drains: half a day of two components at one a second. Past it the oldest go (counters are cumulative, so what remains stays right).</summary>
    public const int MaxBuffered = 100_000;

    private readonly IReadOnlyList<IComponentMeter> _meters;
    private readonly Func<DateTimeOffset> _clusterNow;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<ComponentSample> _buffer = [];
    private readonly Dictionary<IComponentMeter, double> _baselines = [];
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    /// <param name="meters">Every meter discovered; unavailable ones are skipped.</param>
    /// <param name="clusterNow">Cluster time (the runner's clock plus its offset): samples carry it.</param>
    /// <param name="interval">Time between periodic samples; <see cref="DefaultInterval"/> when null.</param>
    /// <param name="time">Drives the periodic timer.</param>
    public ComponentRecorder(IReadOnlyList<IComponentMeter> meters, Func<DateTimeOffset> clusterNow, TimeSpan? interval = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(clusterNow);
        _interval = interval ?? DefaultInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_interval, TimeSpan.Zero, nameof(interval));
        _meters = meters;
        _clusterNow = clusterNow;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The meters' current statuses (a sampler can die during a run), for the job's report.</summary>
    public IReadOnlyList<ComponentStatus> Statuses => [.. _meters.Select(m => m.Status)];

    /// <summary>Reads that threw and were left out (a missing sample, never a 0 J one).</summary>
    public long ReadFailures { get; private set; }

    /// <summary>Samples dropped because nobody drained them within <see cref="MaxBuffered"/>.</summary>
    public long Dropped { get; private set; }

    /// <summary>Starts the meters that need starting, takes the 0 J sample and the periodic ones.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("recorder already started");
        }

        foreach (var meter in _meters)
        {
            await meter.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        lock (_gate)
        {
            foreach (var meter in _meters.Where(m => m.Status.Available))
            {
                if (TryRead(meter, out var joules))
                {
                    _baselines[meter] = joules;
                }
            }
        }

        SampleNow();
        _stopping = new CancellationTokenSource();
        _loop = LoopAsync(_stopping.Token);
    }

    /// <summary>Samples every available meter now (at a mark, at the command's start and end).</summary>
    public void SampleNow()
    {
        lock (_gate)
        {
            foreach (var (meter, baseline) in _baselines)
            {
                if (meter.Status.Available && TryRead(meter, out var joules))
                {
                    Add(new ComponentSample(meter.Component, _clusterNow(), joules - baseline));
                }
            }
        }
    }

    /// <summary>Every sample taken since the last drain, oldest first; thread-safe.</summary>
    public IReadOnlyList<ComponentSample> Drain()
    {
        lock (_gate)
        {
            var samples = _buffer.ToArray();
            _buffer.Clear();
            return samples;
        }
    }

    /// <summary>Stops the periodic samples and takes a last one; the meters stay open (the runner owns them).</summary>
    public async Task StopAsync()
    {
        if (_stopping is null || _loop is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
        _stopping = null;
        SampleNow();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        // Reads on a timer, not only at marks: RAPL counters wrap within minutes, and the
        // cluster interpolates phase edges between neighbouring samples.
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                SampleNow();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private bool TryRead(IComponentMeter meter, out double joules)
    {
        try
        {
            joules = meter.ReadJoules();
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
            ReadFailures++;
            joules = 0;
            return false;
        }
    }

    private void Add(ComponentSample sample)
    {
        if (_buffer.Count >= MaxBuffered)
        {
            _buffer.RemoveAt(0);
            Dropped++;
        }

        _buffer.Add(sample);
    }
}
