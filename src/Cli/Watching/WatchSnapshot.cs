using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Cli.Api;

namespace Fleet.Cli.Watching;

/// <summary>What <c>fleet watch</c> shows at one instant: boxes with their sockets, and the machines on them.</summary>
internal sealed record WatchSnapshot(
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("mean_seconds")] int MeanSeconds,
    [property: JsonPropertyName("boxes")] IReadOnlyList<BoxView> Boxes,
    [property: JsonPropertyName("machines")] IReadOnlyList<MachineView> Machines);

internal sealed record BoxView(
    [property: JsonPropertyName("box")] string Box,
    [property: JsonPropertyName("plugs")] int Plugs,
    [property: JsonPropertyName("agent_host")] string? AgentHost,
    [property: JsonPropertyName("frames_stored")] long FramesStored,
    [property: JsonPropertyName("frames_per_second")] double FramesPerSecond,
    [property: JsonPropertyName("frames_missing_by_id")] long FramesMissingById,
    [property: JsonPropertyName("frames_bad_check")] long FramesBadCheck,
    [property: JsonPropertyName("last_frame_time")] DateTimeOffset? LastFrameTime,
    [property: JsonPropertyName("last_frame_age_seconds")] double? LastFrameAgeSeconds,
    [property: JsonPropertyName("sockets")] IReadOnlyList<SocketView> Sockets);

internal sealed record SocketView(
    [property: JsonPropertyName("socket")] int Socket,
    [property: JsonPropertyName("machine")] string? Machine,
    [property: JsonPropertyName("power_watts")] double? PowerWatts,
    [property: JsonPropertyName("mean_watts")] double? MeanWatts);

internal sealed record MachineView(
    [property: JsonPropertyName("machine")] string Machine,
    [property: JsonPropertyName("sockets")] IReadOnlyList<string> Sockets,
    [property: JsonPropertyName("power_watts")] double? PowerWatts,
    [property: JsonPropertyName("mean_watts")] double? MeanWatts);

/// <summary>Reads a <see cref="WatchSnapshot"/> from the silo: box health, the live window, and who is plugged where now.</summary>
internal static class WatchSource
{
    /// <summary>How far back the mean next to the instantaneous power reaches.</summary>
    public const int MeanSeconds = 10;

    public static async Task<WatchSnapshot> ReadAsync(FleetApiClient client, string? box, string? machine, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var assignments = await client.GetAsync($"/api/machines?at={Uri.EscapeDataString(Iso(now))}", cancellationToken).ConfigureAwait(false);
        var onSocket = new Dictionary<(string Box, int Socket), string>();
        foreach (var row in assignments.EnumerateArray())
        {
            onSocket[(row.GetProperty("box").GetString()!, row.GetProperty("socket").GetInt32())] = row.GetProperty("machine").GetString()!;
        }

        List<JsonElement> healths;
        HashSet<(string Box, int Socket)>? only = null;
        if (box is not null)
        {
            healths = [await client.GetAsync($"/api/boxes/{Uri.EscapeDataString(box)}", cancellationToken).ConfigureAwait(false)];
        }
        else if (machine is not null)
        {
            // The machine's history says it exists; its current sockets are what to show.
            _ = await client.GetAsync($"/api/machines/{Uri.EscapeDataString(machine)}", cancellationToken).ConfigureAwait(false);
            only = [.. onSocket.Where(p => p.Value == machine).Select(p => p.Key)];
            if (only.Count == 0)
            {
                throw new CliException($"machine '{machine}' is on no socket now (see 'fleet machines list')");
            }

            healths = [];
            foreach (var boxId in only.Select(s => s.Box).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                healths.Add(await client.GetAsync($"/api/boxes/{Uri.EscapeDataString(boxId)}", cancellationToken).ConfigureAwait(false));
            }
        }
        else
        {
            healths = [.. (await client.GetAsync("/api/boxes", cancellationToken).ConfigureAwait(false)).EnumerateArray()];
        }

        var boxes = new List<BoxView>();
        foreach (var health in healths.OrderBy(h => h.GetProperty("box_id").GetString(), StringComparer.Ordinal))
        {
            boxes.Add(await BoxAsync(client, health, onSocket, only, now, cancellationToken).ConfigureAwait(false));
        }

        var machines = boxes
            .SelectMany(b => b.Sockets.Where(s => s.Machine is not null).Select(s => (b.Box, Socket: s)))
            .GroupBy(s => s.Socket.Machine!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MachineView(
                g.Key,
                [.. g.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Box}:{s.Socket.Socket}"))],
                Sum(g.Select(s => s.Socket.PowerWatts)),
                Sum(g.Select(s => s.Socket.MeanWatts))))
            .ToList();
        return new WatchSnapshot(now, MeanSeconds, boxes, machines);
    }

    private static async Task<BoxView> BoxAsync(
        FleetApiClient client,
        JsonElement health,
        Dictionary<(string Box, int Socket), string> onSocket,
        HashSet<(string Box, int Socket)>? only,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var id = health.GetProperty("box_id").GetString()!;
        var plugs = health.GetProperty("plugs").GetInt32();
        var last = health.GetProperty("last_power_watts").EnumerateArray().Select(p => p.GetDouble()).ToList();
        var recent = await client.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/boxes/{Uri.EscapeDataString(id)}/live?seconds={MeanSeconds}"), cancellationToken).ConfigureAwait(false);
        var means = FrameWeightedMeans(recent, plugs);
        DateTimeOffset? lastFrame = health.GetProperty("last_frame_time") is { ValueKind: JsonValueKind.String } time ? time.GetDateTimeOffset() : null;
        var sockets = Enumerable.Range(1, plugs)
            .Where(s => only is null || only.Contains((id, s)))
            .Select(s => new SocketView(s, onSocket.GetValueOrDefault((id, s)), s <= last.Count ? last[s - 1] : null, means[s - 1]))
            .ToList();
        return new BoxView(
            id,
            plugs,
            health.GetProperty("agent_host").GetString(),
            health.GetProperty("frames_stored").GetInt64(),
            health.GetProperty("frames_per_second").GetDouble(),
            health.GetProperty("frames_missing_by_id").GetInt64(),
            health.GetProperty("frames_bad_check").GetInt64(),
            lastFrame,
            lastFrame is { } t ? Math.Max(0, (now - t).TotalSeconds) : null,
            sockets);
    }

    /// <summary>Per socket, the mean over the live seconds weighted by each second's frames (the newest second is usually partial).</summary>
    private static double?[] FrameWeightedMeans(JsonElement recent, int plugs)
    {
        var sums = new double[plugs];
        var weights = new double[plugs];
        foreach (var second in recent.EnumerateArray())
        {
            var frames = second.GetProperty("frames").GetInt32();
            var socket = 0;
            foreach (var mean in second.GetProperty("mean_power_watts").EnumerateArray())
            {
                if (socket < plugs && mean.ValueKind == JsonValueKind.Number)
                {
                    sums[socket] += mean.GetDouble() * frames;
                    weights[socket] += frames;
                }

                socket++;
            }
        }

        return [.. sums.Select((sum, s) => weights[s] > 0 ? sum / weights[s] : (double?)null)];
    }

    private static double? Sum(IEnumerable<double?> values)
    {
        var list = values.ToList();
        return list.All(v => v is not null) ? list.Sum(v => v!.Value) : null;
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
