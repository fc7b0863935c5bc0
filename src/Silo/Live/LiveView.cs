using System.Globalization;
using Fleet.Api.Contracts.Live;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Silo.Api;
using Fleet.Silo.Hosting;
using Fleet.Storage.Assignments;
using Fleet.Storage.Boxes;

namespace Fleet.Silo.Live;

/// <summary>
/// What is measured now (GET /api/live, which <c>fleet watch</c> draws): each box's health from
/// its meter grain, each socket's newest power and its mean over the last seconds from the
/// grain's memory, and each machine on those sockets with its power summed over all the sockets
/// it is on now (both power supplies, on any box). The sums are made here, once, so clients only
/// show them.
/// </summary>
internal sealed class LiveView
{
    private readonly IGrainFactory _grains;
    private readonly AssignmentStore _assignments;
    private readonly BoxStore _boxes;
    private readonly TimeProvider _time;

    public LiveView(IGrainFactory grains, AssignmentStore assignments, BoxStore boxes, TimeProvider time)
    {
        _grains = grains;
        _assignments = assignments;
        _boxes = boxes;
        _time = time;
    }

    /// <summary>Every box, or one <paramref name="box"/>, or the sockets <paramref name="machine"/> is on now.</summary>
    public async Task<LiveResponse> ReadAsync(string? box, string? machine, int meanSeconds, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var current = await _assignments.ListAsync(null, now, cancellationToken).ConfigureAwait(false);
        var onSocket = current.GroupBy(a => (a.BoxId, a.Socket)).ToDictionary(g => g.Key, g => g.First().Machine);

        List<string> shownBoxes;
        HashSet<(string Box, int Socket)>? only = null;
        if (box is not null)
        {
            shownBoxes = [await BoxEndpoints.KnownBoxAsync(box, _boxes, cancellationToken).ConfigureAwait(false)];
        }
        else if (machine is not null)
        {
            var name = ApiParsing.Id(machine, "machine name");
            if ((await _assignments.ListAsync(name, null, cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                throw new ApiNotFoundException($"unknown machine '{name}'");
            }

            only = [.. current.Where(a => a.Machine == name).Select(a => (a.BoxId, a.Socket))];
            if (only.Count == 0)
            {
                throw new RequestRejectedException($"machine '{name}' is on no socket now (see GET /api/machines, fleet machines list)");
            }

            shownBoxes = [.. only.Select(s => s.Box).Distinct(StringComparer.Ordinal)];
        }
        else
        {
            shownBoxes = [.. (await _boxes.ListAsync(cancellationToken).ConfigureAwait(false)).Select(b => b.BoxId)];
        }

        // A machine shown on one of these boxes may have another supply on a box not shown: read that box too, for the sum.
        var shownMachines = onSocket
            .Where(s => shownBoxes.Contains(s.Key.BoxId) && (only is null || only.Contains(s.Key)))
            .Select(s => s.Value)
            .ToHashSet(StringComparer.Ordinal);
        var machineSockets = onSocket.Where(s => shownMachines.Contains(s.Value)).ToList();
        var readings = new Dictionary<string, BoxReading>(StringComparer.Ordinal);
        foreach (var id in shownBoxes.Concat(machineSockets.Select(s => s.Key.BoxId)).Distinct(StringComparer.Ordinal))
        {
            readings[id] = await ReadBoxAsync(id, meanSeconds).ConfigureAwait(false);
        }

        var boxes = shownBoxes
            .Order(StringComparer.Ordinal)
            .Select(id => readings[id].ToResponse(onSocket, only, now))
            .ToList();
        var machines = machineSockets
            .GroupBy(s => s.Value, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var sockets = g.Select(s => s.Key).OrderBy(s => s.BoxId, StringComparer.Ordinal).ThenBy(s => s.Socket).ToList();
                return new LiveMachineResponse(
                    g.Key,
                    [.. sockets.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.BoxId}:{s.Socket}"))],
                    Sum(sockets.Select(s => readings[s.BoxId].PowerWatts(s.Socket))),
                    Sum(sockets.Select(s => readings[s.BoxId].MeanWatts(s.Socket))));
            })
            .ToList();
        return new LiveResponse(now, meanSeconds, boxes, machines);
    }

    private async Task<BoxReading> ReadBoxAsync(string box, int meanSeconds)
    {
        var meter = _grains.GetGrain<IMeterGrain>(box);
        return new BoxReading(await meter.GetHealthAsync().ConfigureAwait(false), await meter.GetRecentAsync(meanSeconds).ConfigureAwait(false));
    }

    /// <summary>A machine's power is the sum of all its sockets, or unknown: never a partial sum.</summary>
    private static double? Sum(IEnumerable<double?> values)
    {
        double sum = 0;
        foreach (var value in values)
        {
            if (value is not { } watts)
            {
                return null;
            }

            sum += watts;
        }

        return sum;
    }

    /// <summary>One box's meter, read once per request.</summary>
    private sealed class BoxReading
    {
        private readonly double?[] _means;

        public BoxReading(MeterHealth health, IReadOnlyList<LiveSecond> recent)
        {
            Health = health;
            _means = FrameWeightedMeans(recent, health.Plugs);
        }

        public MeterHealth Health { get; }

        public double? PowerWatts(int socket) => socket <= Health.LastPowerWatts.Count ? Health.LastPowerWatts[socket - 1] : null;

        public double? MeanWatts(int socket) => socket <= _means.Length ? _means[socket - 1] : null;

        public LiveBoxResponse ToResponse(Dictionary<(string BoxId, int Socket), string> onSocket, HashSet<(string Box, int Socket)>? only, DateTimeOffset now)
        {
            var id = Health.BoxId;
            var sockets = Enumerable.Range(1, Health.Plugs)
                .Where(s => only is null || only.Contains((id, s)))
                .Select(s => new LiveSocketResponse(s, onSocket.GetValueOrDefault((id, s)), PowerWatts(s), MeanWatts(s)))
                .ToList();
            return new LiveBoxResponse(
                id,
                Health.Plugs,
                Health.AgentHost,
                Health.FramesStored,
                Health.FramesPerSecond,
                Health.FramesMissingById,
                Health.FramesBadCheck,
                Health.LastFrameTime,
                Health.LastFrameTime is { } last ? Math.Max(0, (now - last).TotalSeconds) : null,
                sockets);
        }

        /// <summary>Per socket, the mean over the live seconds weighted by each second's frames (the newest second is usually partial).</summary>
        private static double?[] FrameWeightedMeans(IReadOnlyList<LiveSecond> recent, int plugs)
        {
            var sums = new double[plugs];
            var weights = new double[plugs];
            foreach (var second in recent)
            {
                for (var socket = 0; socket < Math.Min(plugs, second.MeanPowerWatts.Count); socket++)
                {
                    var mean = second.MeanPowerWatts[socket];
                    if (float.IsFinite(mean))
                    {
                        sums[socket] += mean * (double)second.Frames;
                        weights[socket] += second.Frames;
                    }
                }
            }

            return [.. sums.Select((sum, s) => weights[s] > 0 ? sum / weights[s] : (double?)null)];
        }
    }
}
