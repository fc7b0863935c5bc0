using System.Globalization;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Telemetry;
using Fleet.OmegaWatt.Time;
using Fleet.Storage.Assignments;
using Fleet.Storage.Boxes;
using Fleet.Storage.Export;
using Fleet.Storage.Samples;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fleet.Grains.Meters;

/// <summary>
/// One box. Batches are written through to PostgreSQL before the call returns, one at a time
/// (the grain is not reentrant): a slow or absent database slows the agents down instead of
/// filling silo memory, and they keep their batches spooled until acknowledged. Being one turn
/// at a time, the meter is where every decision about a box's frames is made without a race:
/// the bounds (<see cref="BatchRules"/>), one writer at a time, and whether a batch's frames
/// are new, already stored or in conflict with stored ones (<see cref="BatchOverlap"/>).
/// </summary>
public sealed partial class MeterGrain : Grain, IMeterGrain
{
    /// <summary>Whole seconds of frame time over which frames per second are measured.</summary>
    private const int RateSeconds = 10;

    /// <summary>How often the machine names on the box's sockets (metric labels) are read again.</summary>
    private static readonly TimeSpan MachineLabelRefresh = TimeSpan.FromSeconds(30);

    private readonly SampleWriter _writer;
    private readonly SampleReader _reader;
    private readonly IngestPositions _positions;
    private readonly BoxStore _boxes;
    private readonly AssignmentStore _assignments;
    private readonly FleetMetrics _metrics;
    private readonly MeterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MeterGrain> _logger;
    private readonly LiveWindow _live = new();
    private IReadOnlyDictionary<int, string> _machines = new Dictionary<int, string>();
    private DateTimeOffset _machinesRead = DateTimeOffset.MinValue;
    private int _plugs;
    private long? _lastStoredUnixMicroseconds;
    private (string Id, string? Host, DateTimeOffset SeenAt)? _currentWriter;
    private long _framesStored;
    private long _framesMissing;
    private long _framesBadCheck;
    private long _batchesRejected;
    private long _agentBatchesQuarantined;
    private DateTimeOffset? _lastFrameTime;
    private string? _agentHost;
    private float[] _lastPowerWatts = [];

    public MeterGrain(
        SampleWriter writer,
        SampleReader reader,
        IngestPositions positions,
        BoxStore boxes,
        AssignmentStore assignments,
        FleetMetrics metrics,
        IOptions<MeterOptions> options,
        TimeProvider time,
        ILogger<MeterGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _writer = writer;
        _reader = reader;
        _positions = positions;
        _boxes = boxes;
        _assignments = assignments;
        _metrics = metrics;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    private string BoxId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _plugs = await StorageCalls.RunAsync(() => _boxes.GetPlugsAsync(BoxId, cancellationToken)).ConfigureAwait(true) ?? 0;
        _lastStoredUnixMicroseconds = await StorageCalls.RunAsync(() => _positions.GetLastFrameUnixMicrosecondsAsync(BoxId, cancellationToken)).ConfigureAwait(true);
        var writer = await StorageCalls.RunAsync(() => _positions.GetLatestWriterAsync(BoxId, IngestLimits.ImportWriterPrefix, cancellationToken)).ConfigureAwait(true);
        if (writer is not null)
        {
            _currentWriter = (writer.WriterId, writer.AgentHost, _time.GetUtcNow() - writer.SilentFor);
        }

        // A meter activated after a restart (or on another silo) knows from storage when its box
        // last sent a frame and who fed it, rather than saying "never" until the next batch.
        if (_lastStoredUnixMicroseconds is { } lastStored)
        {
            _lastFrameTime = DateTimeOffset.UnixEpoch.AddTicks(lastStored * 10);
        }

        _agentHost = writer?.AgentHost;
    }

    public async ValueTask<IngestResult> IngestAsync(FrameBatch batch)
    {
        try
        {
            return await IngestCoreAsync(batch).ConfigureAwait(true);
        }
        catch (InvalidBatchException error)
        {
            Rejected(batch, "invalid", error.Message);
            throw;
        }
        catch (RequestRejectedException error)
        {
            Rejected(batch, "conflict", error.Message);
            throw;
        }
    }

    private async Task<IngestResult> IngestCoreAsync(FrameBatch batch)
    {
        BatchRules.Validate(BoxId, _plugs, batch);
        if (batch.Count == 0)
        {
            return new IngestResult(IngestOutcome.Stored, 0, 0);
        }

        var now = _time.GetUtcNow();
        var fresh = batch;
        var alreadyStored = 0;
        // Past the newest stored frame nothing can overlap: the live stream's common case costs
        // no read. Earlier frames (a retry, a restarted agent, a replay, an import) are compared.
        if (_lastStoredUnixMicroseconds is { } last && batch.TimesUnixMicroseconds[0] <= last)
        {
            var overlap = await ClassifyAsync(batch).ConfigureAwait(true);
            alreadyStored = overlap.AlreadyStored;
            if (overlap.NewFrames.Count == 0)
            {
                if (_currentWriter is { } writer && writer.Id == batch.WriterId)
                {
                    _currentWriter = writer with { SeenAt = now };
                }

                LogAlreadyStored(BoxId, batch.SourceId, batch.Sequence, alreadyStored);
                return new IngestResult(IngestOutcome.Duplicate, 0, alreadyStored);
            }

            fresh = FrameBatchSubset.Of(batch, overlap.NewFrames);
        }

        CheckWriter(batch, now);
        var block = new SampleBlock(
            BoxId, fresh.SourceId, fresh.Sequence, fresh.WriterId, fresh.AgentHost, fresh.Plugs,
            fresh.TimesUnixMicroseconds, fresh.FrameIds, fresh.Valid, fresh.VoltagesVolts, fresh.CurrentsAmperes, fresh.PowersWatts);
        if (!await StorageCalls.RunAsync(() => _writer.WriteAsync(block)).ConfigureAwait(true))
        {
            // The source's sequence mark was past this batch: a retry of a stored batch.
            LogAlreadyStored(BoxId, batch.SourceId, batch.Sequence, batch.Count);
            return new IngestResult(IngestOutcome.Duplicate, 0, batch.Count);
        }

        _plugs = batch.Plugs;
        _lastStoredUnixMicroseconds = Math.Max(_lastStoredUnixMicroseconds ?? long.MinValue, fresh.TimesUnixMicroseconds[^1]);
        if (!IsImport(batch))
        {
            _currentWriter = (batch.WriterId, batch.AgentHost, now);
        }

        Observe(fresh);
        _metrics.RecordBatch(BoxId, fresh, await MachinesAsync().ConfigureAwait(true));
        return new IngestResult(IngestOutcome.Stored, fresh.Count, alreadyStored);
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
            BoxId, _plugs, _framesStored, framesPerSecond, _framesMissing, _framesBadCheck, _lastFrameTime, _agentHost, [.. _lastPowerWatts],
            _agentBatchesQuarantined, _batchesRejected));
    }

    public ValueTask<IReadOnlyList<LiveSecond>> GetRecentAsync(int seconds) =>
        ValueTask.FromResult<IReadOnlyList<LiveSecond>>([.. _live.Recent(seconds).Select(s => new LiveSecond(DateTimeOffset.FromUnixTimeSeconds(s.Second), s.Frames, s.MeanWatts))]);

    public ValueTask ReportAgentHealthAsync(AgentHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        _agentBatchesQuarantined = health.BatchesQuarantined;
        _metrics.RecordAgentHealth(BoxId, health);
        return ValueTask.CompletedTask;
    }

    private static bool IsImport(FrameBatch batch) => batch.WriterId.StartsWith(IngestLimits.ImportWriterPrefix, StringComparison.Ordinal);

    /// <summary>One agent feeds a box at a time; another is refused until the first has been silent for the takeover time. Imports fill the past and hold no box.</summary>
    private void CheckWriter(FrameBatch batch, DateTimeOffset now)
    {
        if (IsImport(batch) || _currentWriter is not { } writer || writer.Id == batch.WriterId)
        {
            return;
        }

        var silent = now - writer.SeenAt;
        if (silent < _options.WriterTakeover)
        {
            var ago = string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, silent.TotalSeconds):F0} s ago");
            var takeover = string.Create(CultureInfo.InvariantCulture, $"{_options.WriterTakeover.TotalSeconds:F0} s");
            throw new BoxWriterConflictException(
                $"box {BoxId} is fed by the agent on {writer.Host ?? "another host"} (writer {writer.Id}, last batch {ago}); "
                + $"a second agent is refused until that one has been silent for {takeover}");
        }

        LogTakeover(BoxId, batch.AgentHost, writer.Host, silent.TotalSeconds);
    }

    private async Task<BatchOverlap> ClassifyAsync(FrameBatch batch)
    {
        var first = DateTimeOffset.UnixEpoch.AddTicks(batch.TimesUnixMicroseconds[0] * 10);
        var end = DateTimeOffset.UnixEpoch.AddTicks((batch.TimesUnixMicroseconds[^1] + 1) * 10);
        var stored = await StorageCalls.RunAsync(async () =>
        {
            var chunks = new List<FrameColumns>();
            await foreach (var chunk in _reader.ReadAsync(BoxId, first, end).ConfigureAwait(true))
            {
                chunks.Add(chunk);
            }

            return chunks;
        }).ConfigureAwait(true);
        var overlap = BatchOverlap.Classify(batch, stored);
        return overlap.Conflict is { } reason
            ? throw new RequestRejectedException(
                $"box {BoxId} already has frames between {IsoTime.Format(first)} and {IsoTime.Format(end)} that this batch does not match ({reason}): "
                + "another agent or file measured this period, or this source's clock, --start or --utc-offset differs")
            : overlap;
    }

    private void Rejected(FrameBatch batch, string reason, string message)
    {
        _batchesRejected++;
        _metrics.RecordRejectedBatch(BoxId, reason);
        LogRejected(BoxId, batch?.SourceId, batch?.Sequence ?? 0, message);
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

    private void Observe(FrameBatch batch)
    {
        _live.Add(batch.TimesUnixMicroseconds, batch.Valid, batch.PowersWatts, batch.Plugs);
        _framesStored += batch.Count;
        _framesMissing += batch.FramesMissingById;
        _framesBadCheck += batch.FramesBadCheck;
        _agentHost = batch.AgentHost;
        if (batch.Count > 0)
        {
            var last = DateTimeOffset.UnixEpoch.AddTicks(batch.TimesUnixMicroseconds[^1] * 10);
            _lastFrameTime = _lastFrameTime is { } previous && previous > last ? previous : last;
            var lastValid = Array.LastIndexOf(batch.Valid, true);
            if (lastValid >= 0)
            {
                _lastPowerWatts = batch.PowersWatts[(lastValid * batch.Plugs)..((lastValid + 1) * batch.Plugs)];
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Box {Box}: machine labels not refreshed ({Reason})")]
    private partial void LogLabelsFailed(string box, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Box {Box}: batch {Sequence} from {Source} was already stored ({Frames} frames)")]
    private partial void LogAlreadyStored(string box, string source, long sequence, int frames);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Box {Box}: batch {Sequence} from {Source} refused for good: {Reason}")]
    private partial void LogRejected(string box, string? source, long sequence, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Box {Box}: the agent on {Host} takes over from the agent on {Previous}, silent for {Seconds:F0} s")]
    private partial void LogTakeover(string box, string host, string? previous, double seconds);
}
