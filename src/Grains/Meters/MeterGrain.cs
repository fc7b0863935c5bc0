using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Telemetry;
using Fleet.Storage.Assignments;
using Fleet.Storage.Boxes;
using Fleet.Storage.Samples;
using Microsoft.Extensions.Logging;

namespace Fleet.Grains.Meters;

/// <summary>
/// One box. Batches are written through to PostgreSQL before the call returns, one at a time
/// (the grain is not reentrant): a slow or absent database slows the agents down instead of
/// filling silo memory, and they keep their batches spooled until acknowledged.
/// </summary>
public sealed partial class MeterGrain : Grain, IMeterGrain
{
    /// <summary>Whole seconds of frame time over which frames per second are measured.</summary>
    private const int RateSeconds = 10;

    /// <summary>How often the machine names on the box's sockets (metric labels) are read again.</summary>
    private static readonly TimeSpan MachineLabelRefresh = TimeSpan.FromSeconds(30);

    private readonly SampleWriter _writer;
    private readonly BoxStore _boxes;
    private readonly AssignmentStore _assignments;
    private readonly FleetMetrics _metrics;
    private IReadOnlyDictionary<int, string> _machines = new Dictionary<int, string>();
    private DateTimeOffset _machinesRead = DateTimeOffset.MinValue;
    private readonly TimeProvider _time;
    private readonly ILogger<MeterGrain> _logger;
    private readonly LiveWindow _live = new();
    private int _plugs;
    private long _framesStored;
    private long _framesMissing;
    private long _framesBadCheck;
    private DateTimeOffset? _lastFrameTime;
    private string? _agentHost;
    private float[] _lastPowerWatts = [];

    public MeterGrain(SampleWriter writer, BoxStore boxes, AssignmentStore assignments, FleetMetrics metrics, TimeProvider time, ILogger<MeterGrain> logger)
    {
        _writer = writer;
        _boxes = boxes;
        _assignments = assignments;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    private string BoxId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _plugs = await StorageCalls.RunAsync(() => _boxes.GetPlugsAsync(BoxId, cancellationToken)).ConfigureAwait(true) ?? 0;
    }

    public async ValueTask<IngestOutcome> IngestAsync(FrameBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!Naming.IsValidId(BoxId))
        {
            throw new RequestRejectedException($"'{BoxId}' is not a valid box id (letters, digits, '.', '_', '-'; at most 64)");
        }

        if (_plugs != 0 && batch.Plugs != _plugs)
        {
            throw new RequestRejectedException($"box {BoxId} has {_plugs} plugs; this batch has {batch.Plugs} (a box keeps its plug count: use another box id for another setup)");
        }

        SampleBlock block;
        try
        {
            block = new SampleBlock(BoxId, batch.SourceId, batch.Sequence, batch.Plugs, batch.TimesUnixMicroseconds, batch.FrameIds, batch.Valid, batch.VoltagesVolts, batch.CurrentsAmperes, batch.PowersWatts);
        }
        catch (ArgumentException error)
        {
            throw new RequestRejectedException($"malformed batch {batch.Sequence} from {batch.SourceId}: {error.Message}");
        }

        var stored = await StorageCalls.RunAsync(() => _writer.WriteAsync(block)).ConfigureAwait(true);
        _plugs = batch.Plugs;
        if (!stored)
        {
            LogDuplicate(BoxId, batch.SourceId, batch.Sequence);
            return IngestOutcome.Duplicate;
        }

        Observe(batch);
        _metrics.RecordBatch(BoxId, batch, await MachinesAsync().ConfigureAwait(true));
        await RegisterAsync(batch).ConfigureAwait(true);
        return IngestOutcome.Stored;
    }

    public ValueTask<MeterHealth> GetHealthAsync()
    {
        // Frames per second by the frames' own time, not by arrival: an agent catching up after an
        // outage delivers faster than 100/s, the box never does. The newest second may be partial.
        var seconds = _live.Recent(RateSeconds + 1);
        var complete = seconds.Count > 1 ? seconds.Take(seconds.Count - 1).ToList() : seconds;
        var span = complete.Count == 0 ? 1 : complete[^1].Second - complete[0].Second + 1;
        var framesPerSecond = complete.Sum(s => (double)s.Frames) / span;
        return ValueTask.FromResult(new MeterHealth(
            BoxId, _plugs, _framesStored, framesPerSecond, _framesMissing, _framesBadCheck, _lastFrameTime, _agentHost, [.. _lastPowerWatts]));
    }

    public ValueTask<IReadOnlyList<LiveSecond>> GetRecentAsync(int seconds) =>
        ValueTask.FromResult<IReadOnlyList<LiveSecond>>([.. _live.Recent(seconds).Select(s => new LiveSecond(DateTimeOffset.FromUnixTimeSeconds(s.Second), s.Frames, s.MeanWatts))]);

    public ValueTask ReportAgentHealthAsync(AgentHealth health)
    {
        _metrics.RecordAgentHealth(BoxId, health);
        return ValueTask.CompletedTask;
    }

    /// <summary>Which machine is on each socket now, for metric labels; read at most every 30 s, best effort.</summary>
    private async Task<IReadOnlyDictionary<int, string>> MachinesAsync()
    {
        var now = _time.GetUtcNow();
        if (now - _machinesRead < MachineLabelRefresh)
        {
            return _machines;
        }

        _machinesRead = now;
        try
        {
            var current = await _assignments.ListAsync(null, now).ConfigureAwait(true);
            _machines = current.Where(a => a.BoxId == BoxId).GroupBy(a => a.Socket).ToDictionary(g => g.Key, g => g.First().Machine);
        }
        catch (Exception error) when (error is System.Data.Common.DbException or TimeoutException)
        {
            LogLabelsFailed(BoxId, error.Message);
        }

        return _machines;
    }

    private async Task RegisterAsync(FrameBatch batch)
    {
        // The registry writes only when something changed or a minute passed; cheap per batch.
        // It is best effort: the batch is already stored, and a registry hiccup must not make the
        // agent resend it.
        if (_lastFrameTime is { } last)
        {
            try
            {
                await GrainFactory.GetGrain<IFleetGrain>(0).RegisterBoxAsync(new BoxInfo(BoxId, _plugs, batch.AgentHost, last)).ConfigureAwait(true);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogRegistryFailed(BoxId, error.Message);
            }
        }
    }

    private void Observe(FrameBatch batch)
    {
        _live.Add(batch.TimesUnixMicroseconds, batch.Valid, batch.PowersWatts, batch.Plugs);
        _framesStored += batch.Count;
        _framesMissing += batch.FramesMissingById;
        _framesBadCheck += batch.FramesBadCheck;
        _agentHost = batch.AgentHost;
        if (batch.Count > 0)
        {
            _lastFrameTime = DateTimeOffset.UnixEpoch.AddTicks(batch.TimesUnixMicroseconds[^1] * 10);
            var last = Array.LastIndexOf(batch.Valid, true);
            if (last >= 0)
            {
                _lastPowerWatts = batch.PowersWatts[(last * batch.Plugs)..((last + 1) * batch.Plugs)];
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Box {Box}: machine labels not refreshed ({Reason})")]
    private partial void LogLabelsFailed(string box, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Box {Box}: could not update the fleet registry ({Reason}); will retry with the next batch")]
    private partial void LogRegistryFailed(string box, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Box {Box}: batch {Sequence} from {Source} was already stored")]
    private partial void LogDuplicate(string box, string source, long sequence);
}
