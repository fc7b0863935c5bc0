using Fleet.AgentHost.Ingest;
using Fleet.AgentHost.Pushing;
using Fleet.AgentHost.Sources;
using Fleet.AgentHost.Spooling;
using Fleet.AgentHost.Timing;
using Fleet.Grains.Abstractions.Messages;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Simulation;
using Microsoft.Extensions.Logging;

namespace Fleet.LoadGen;

/// <summary>
/// One simulated box through the agent's own path: simulator bytes → decoder → clock → spool →
/// pusher → meter grain, exactly as <c>Fleet.AgentHost --simulate</c> runs it.
/// </summary>
internal sealed class VirtualBox(string boxId, int plugs, bool realTime, long? frames, string spoolDirectory, ClusterConnection connection, LatencyRecorder latency, ILoggerFactory loggers)
{
    private long _framesAcknowledged;

    public string BoxId => boxId;

    public long FramesAcknowledged => Interlocked.Read(ref _framesAcknowledged);

    /// <summary>
    /// Max rate only: spools every frame with no cluster, as an agent does while the cluster is
    /// unreachable; <see cref="RunAsync"/> then starts with all of them waiting (catching up).
    /// </summary>
    public async Task SpoolOnlyAsync()
    {
        using var spool = new Spool(new SpoolOptions { Directory = spoolDirectory, MaxBytes = 8L << 30 });
        var decoder = new FrameDecoder();
        var handler = new SpoolingFrameHandler(decoder, new FixedStartClock(DateTimeOffset.UtcNow.AddDays(-1)), spool, $"loadgen/{boxId}/{Guid.NewGuid():N}", "loadgen", WriterIdentity.LoadOrCreate(spoolDirectory, "loadgen"));
        var source = new SimulatedBoxSource(DemoBox.Options with { Plugs = plugs, Seed = boxId.GetHashCode(StringComparison.Ordinal) }, realTime: false, frames);
        await SourceReader.RunAsync(source, decoder, handler, CancellationToken.None).ConfigureAwait(false);
        handler.Flush();
    }

    /// <summary>Runs until the source ends (max rate) or <paramref name="stop"/> is cancelled (real time), then until everything spooled was acknowledged.</summary>
    public async Task RunAsync(CancellationToken stop, bool spooledAlready = false)
    {
        using var spool = new Spool(new SpoolOptions { Directory = spoolDirectory, MaxBytes = 8L << 30 });
        var decoder = new FrameDecoder();
        IFrameClock clock = realTime ? new ReceiptClock() : new FixedStartClock(DateTimeOffset.UtcNow.AddDays(-1));
        var writerId = WriterIdentity.LoadOrCreate(spoolDirectory, "loadgen");
        var handler = new SpoolingFrameHandler(decoder, clock, spool, $"loadgen/{boxId}/{Guid.NewGuid():N}", "loadgen", writerId);
        var pusher = new BatchPusher(spool, token => connection.GetMeterAsync(boxId, token), loggers.CreateLogger<BatchPusher>(), acknowledged: Acknowledged);
        var source = new SimulatedBoxSource(DemoBox.Options with { Plugs = plugs, Seed = boxId.GetHashCode(StringComparison.Ordinal) }, realTime, frames);
        var inputDone = 0;
        using var background = new CancellationTokenSource();
        var pushing = pusher.RunAsync(() => Volatile.Read(ref inputDone) == 1, background.Token, untilEmpty: true);
        var flushing = FlushAsync(handler, background.Token);
        if (!spooledAlready)
        {
            await SourceReader.RunAsync(source, decoder, handler, stop).ConfigureAwait(false);
            handler.Flush();
        }

        Volatile.Write(ref inputDone, 1);
        await pushing.ConfigureAwait(false);
        await background.CancelAsync().ConfigureAwait(false);
        await flushing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void Acknowledged(FrameBatch batch, IngestResult result)
    {
        var now = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
        Interlocked.Add(ref _framesAcknowledged, batch.Count);
        if (realTime)
        {
            latency.Record(batch.TimesUnixMicroseconds, now);
        }
    }

    private static async Task FlushAsync(SpoolingFrameHandler handler, CancellationToken cancellationToken)
    {
        // As the agent does: a partial batch goes out after a second even if the box is slow.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            handler.Flush();
        }
    }
}
