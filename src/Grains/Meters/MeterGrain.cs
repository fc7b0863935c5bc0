using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
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
    /// <summary>Window over which frames per second are measured.</summary>
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    /// <summary>Cap of the rate window's entries, whatever the batch size.</summary>
    private const int MaxRateEntries = 1_000;

    private readonly SampleWriter _writer;
    private readonly BoxStore _boxes;
    private readonly TimeProvider _time;
    private readonly ILogger<MeterGrain> _logger;
    private readonly Queue<(long Ticks, int Frames)> _recent = new();
    private readonly LiveWindow _live = new();
    private int _plugs;
    private long _framesStored;
    private long _framesMissing;
    private long _framesBadCheck;
    private DateTimeOffset? _lastFrameTime;
    private string? _agentHost;
    private float[] _lastPowerWatts = [];

    public MeterGrain(SampleWriter writer, BoxStore boxes, TimeProvider time, ILogger<MeterGrain> logger)
    {
        _writer = writer;
        _boxes = boxes;
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
        await RegisterAsync(batch).ConfigureAwait(true);
        return IngestOutcome.Stored;
    }

    public ValueTask<MeterHealth> GetHealthAsync()
    {
        Trim();
        var frames = _recent.Sum(r => (long)r.Frames);
        return ValueTask.FromResult(new MeterHealth(
            BoxId, _plugs, _framesStored, frames / RateWindow.TotalSeconds, _framesMissing, _framesBadCheck, _lastFrameTime, _agentHost, [.. _lastPowerWatts]));
    }

    public ValueTask<IReadOnlyList<LiveSecond>> GetRecentAsync(int seconds) =>
        ValueTask.FromResult<IReadOnlyList<LiveSecond>>([.. _live.Recent(seconds).Select(s => new LiveSecond(DateTimeOffset.FromUnixTimeSeconds(s.Second), s.Frames, s.MeanWatts))]);

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

        _recent.Enqueue((_time.GetUtcNow().UtcTicks, batch.Count));
        Trim();
    }

    private void Trim()
    {
        var oldest = _time.GetUtcNow().UtcTicks - RateWindow.Ticks;
        while (_recent.Count > 0 && (_recent.Peek().Ticks < oldest || _recent.Count > MaxRateEntries))
        {
            _recent.Dequeue();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Box {Box}: could not update the fleet registry ({Reason}); will retry with the next batch")]
    private partial void LogRegistryFailed(string box, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Box {Box}: batch {Sequence} from {Source} was already stored")]
    private partial void LogDuplicate(string box, string source, long sequence);
}
