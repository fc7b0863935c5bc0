using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Fleet.Grains.Abstractions.Messages;
using Fleet.OmegaWatt.Protocol;

namespace Fleet.Grains.Telemetry;

/// <summary>
/// The <c>Fleet</c> meter. Counters are added to as batches are stored; gauges report the latest
/// value each meter grain on this silo published, and forget a series not updated for
/// <see cref="Expiry"/> (its grain moved to another silo, or its box went silent), so a
/// scrape never shows stale power. Labels are bounded: box, socket, machine, phase, reason,
/// host — never an experiment id.
/// </summary>
public sealed class FleetMetrics : IDisposable
{
    public const string MeterName = "Fleet";

    /// <summary>After this long without an update a gauge series disappears.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(60);

    /// <summary>Cap on gauge series per kind, far above any real lab (48 sockets × many boxes).</summary>
    public const int MaxSeries = 100_000;

    private readonly Meter _meter;
    private readonly Counter<long> _frames;
    private readonly Counter<long> _framesInvalid;
    private readonly Counter<long> _framesLost;
    private readonly Counter<double> _energy;
    private readonly Counter<long> _batchesRejected;
    private readonly Histogram<double> _ingestLag;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Box, int Socket), SocketReading> _sockets = new();
    private readonly ConcurrentDictionary<(string Box, int Phase), Reading> _phases = new();
    private readonly ConcurrentDictionary<string, Reading> _lastFrame = new();
    private readonly ConcurrentDictionary<(string Box, string Host), (AgentHealth Health, long Ticks)> _agents = new();

    public FleetMetrics(TimeProvider time)
    {
        _time = time;
        _meter = new Meter(MeterName);
        _frames = _meter.CreateCounter<long>("fleet_frames", description: "Frames stored (valid and without data).");
        _framesInvalid = _meter.CreateCounter<long>("fleet_frames_invalid", description: "Frames that carried no data (reason=no_data) or failed the check byte (reason=bad_check).");
        _framesLost = _meter.CreateCounter<long>("fleet_frames_lost", description: "Frames missing by frame-id gaps.");
        _energy = _meter.CreateCounter<double>("fleet_socket_energy", unit: "J", description: "Energy measured on a socket (Σ P × 10 ms over valid frames).");
        _batchesRejected = _meter.CreateCounter<long>("fleet_batches_rejected", description: "Batches a meter refused for good (reason=invalid: malformed or over a limit; reason=conflict: the box's plug count or other stored frames); agents quarantine them.");
        _ingestLag = _meter.CreateHistogram<double>("fleet_ingest_lag", unit: "s", description: "Time from a batch's last frame to its storage.");
        _meter.CreateObservableGauge("fleet_socket_power", () => Socket(r => r.PowerWatts), unit: "W", description: "Mean active power of a socket over the last stored second.");
        _meter.CreateObservableGauge("fleet_socket_current", () => Socket(r => r.CurrentAmperes), unit: "A", description: "RMS current of a socket over the last stored second.");
        _meter.CreateObservableGauge("fleet_machine_power", MachinePower, unit: "W", description: "Power of a machine: the sum of its sockets.");
        _meter.CreateObservableGauge("fleet_phase_voltage", PhaseVoltages, unit: "V", description: "RMS voltage per phase of a box.");
        _meter.CreateObservableGauge("fleet_last_frame_timestamp", LastFrames, unit: "s", description: "Unix time of the newest stored frame of a box.");
        _meter.CreateObservableGauge("fleet_agent_spool", () => Agents(h => h.SpoolBytes), unit: "By", description: "Bytes the agent holds in its spool, not yet acknowledged.");
        // A counter per agent run: a restarted agent starts again from 0, which rate() treats as a reset.
        _meter.CreateObservableCounter("fleet_agent_serial_reconnects", () => Agents(h => h.SerialReconnects), description: "Times the agent reopened the box's serial port since it started.");
        _meter.CreateObservableGauge("fleet_agent_batches_quarantined", () => Agents(h => h.BatchesQuarantined), description: "Batches the agent holds in its spool's rejected/ directory: refused for good, kept for inspection.");
        _meter.CreateObservableGauge("fleet_agent_clock_offset", () => Agents(h => h.ClockOffsetSeconds), unit: "s", description: "Latency floor between a frame and its receipt on the agent host.");
    }

    /// <summary>Records a stored batch; <paramref name="machines"/> names the machine on each socket (1-based), if any.</summary>
    public void RecordBatch(string boxId, FrameBatch batch, IReadOnlyDictionary<int, string> machines)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(machines);
        var box = new KeyValuePair<string, object?>("box", boxId);
        _frames.Add(batch.Count, box);
        var noData = batch.Valid.Length - batch.Valid.AsSpan().Count(true);
        _framesInvalid.Add(noData, box, new("reason", "no_data"));
        _framesInvalid.Add(batch.FramesBadCheck, box, new("reason", "bad_check"));
        _framesLost.Add(batch.FramesMissingById, box);
        if (batch.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var last = DateTimeOffset.UnixEpoch.AddTicks(batch.TimesUnixMicroseconds[^1] * 10);
        _ingestLag.Record(Math.Max(0, (now - last).TotalSeconds));
        _lastFrame[boxId] = new Reading(last.ToUnixTimeMilliseconds() / 1000.0, now.UtcTicks);

        // Gauges: the last second of the batch (up to 100 frames), valid frames only.
        var plugs = batch.Plugs;
        var first = Math.Max(0, batch.Count - 100);
        for (var plug = 0; plug < plugs; plug++)
        {
            double joules = 0;
            double power = 0;
            double current = 0;
            var frames = 0;
            for (var k = 0; k < batch.Count; k++)
            {
                if (!batch.Valid[k])
                {
                    continue;
                }

                var watts = batch.PowersWatts[(k * plugs) + plug];
                joules += watts * FrameLayout.FramePeriodSeconds;
                if (k >= first)
                {
                    power += watts;
                    current += batch.CurrentsAmperes[(k * plugs) + plug];
                    frames++;
                }
            }

            machines.TryGetValue(plug + 1, out var machine);
            var socket = plug + 1;
            _energy.Add(joules, box, new("socket", socket.ToString(CultureInfo.InvariantCulture)), new("machine", machine ?? string.Empty));
            if (frames > 0 && (_sockets.Count < MaxSeries || _sockets.ContainsKey((boxId, socket))))
            {
                _sockets[(boxId, socket)] = new SocketReading(power / frames, current / frames, machine, now.UtcTicks);
            }
        }

        for (var phase = 0; phase < 3; phase++)
        {
            var volts = Enumerable.Range(first, batch.Count - first).Where(k => batch.Valid[k]).Select(k => (double)batch.VoltagesVolts[(k * 3) + phase]).DefaultIfEmpty(double.NaN).Average();
            if (!double.IsNaN(volts))
            {
                _phases[(boxId, phase + 1)] = new Reading(volts, now.UtcTicks);
            }
        }
    }

    /// <summary>Counts a batch a meter refused for good; <paramref name="reason"/> is <c>invalid</c> or <c>conflict</c>.</summary>
    public void RecordRejectedBatch(string boxId, string reason) =>
        _batchesRejected.Add(1, new KeyValuePair<string, object?>("box", boxId), new KeyValuePair<string, object?>("reason", reason));

    public void RecordAgentHealth(string boxId, AgentHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        if (_agents.Count < MaxSeries || _agents.ContainsKey((boxId, health.AgentHost)))
        {
            _agents[(boxId, health.AgentHost)] = (health, _time.GetUtcNow().UtcTicks);
        }
    }

    public void Dispose() => _meter.Dispose();

    private bool Fresh(long ticks) => _time.GetUtcNow().UtcTicks - ticks < Expiry.Ticks;

    private IEnumerable<Measurement<double>> Socket(Func<SocketReading, double> value)
    {
        foreach (var ((box, socket), reading) in _sockets)
        {
            if (!Fresh(reading.Ticks))
            {
                _sockets.TryRemove((box, socket), out _);
                continue;
            }

            yield return new Measurement<double>(value(reading), SocketTags(box, socket, reading.Machine));
        }
    }

    private IEnumerable<Measurement<double>> MachinePower() =>
        _sockets.Values
            .Where(r => r.Machine is not null && Fresh(r.Ticks))
            .GroupBy(r => r.Machine!)
            .Select(g => new Measurement<double>(g.Sum(r => r.PowerWatts), new KeyValuePair<string, object?>("machine", g.Key)));

    private IEnumerable<Measurement<double>> PhaseVoltages() =>
        _phases.Where(p => Fresh(p.Value.Ticks)).Select(p => new Measurement<double>(
            p.Value.Value, new KeyValuePair<string, object?>("box", p.Key.Box), new KeyValuePair<string, object?>("phase", p.Key.Phase.ToString(CultureInfo.InvariantCulture))));

    private IEnumerable<Measurement<double>> LastFrames() =>
        _lastFrame.Where(p => Fresh(p.Value.Ticks)).Select(p => new Measurement<double>(p.Value.Value, new KeyValuePair<string, object?>("box", p.Key)));

    private IEnumerable<Measurement<double>> Agents(Func<AgentHealth, double> value) =>
        _agents.Where(a => Fresh(a.Value.Ticks)).Select(a => new Measurement<double>(
            value(a.Value.Health), new KeyValuePair<string, object?>("box", a.Key.Box), new KeyValuePair<string, object?>("host", a.Key.Host)));

    private static TagList SocketTags(string box, int socket, string? machine) => new()
    {
        { "box", box },
        { "socket", socket.ToString(CultureInfo.InvariantCulture) },
        { "machine", machine ?? string.Empty },
    };

    private sealed record SocketReading(double PowerWatts, double CurrentAmperes, string? Machine, long Ticks);

    private sealed record Reading(double Value, long Ticks);
}
