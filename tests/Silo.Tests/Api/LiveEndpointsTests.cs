using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Api.Contracts.Importing;
using Fleet.Api.Contracts.Json;
using Fleet.Api.Contracts.Machines;
using Fleet.Silo.Tests.Support;

namespace Fleet.Silo.Tests.Api;

/// <summary>
/// /api/live on a silo fed through its frames import (which goes through the meter grains, so
/// their memory holds the seconds): box live-a with 100 frames at 10 W × socket then 50 frames at
/// 40 W × socket, box live-b with 100 frames at 5 W on every socket. Machine dual is on live-a:1
/// and live-b:2 (two supplies on two boxes), single on live-a:3, later only from tomorrow.
/// </summary>
public sealed class LiveEndpointsTests : IClassFixture<LiveEndpointsTests.LiveSilo>
{
    private readonly HttpClient _http;

    public LiveEndpointsTests(LiveSilo silo) => _http = silo.Http;

    [Fact]
    public async Task GetLive_OneBox_SocketsWithTheirMachinesAndMachinesSummedOverAllTheirSockets()
    {
        var live = await _http.GetJsonAsync("/api/live?box=live-a");

        Assert.Equal(10, live.GetProperty("mean_seconds").GetInt32());
        var box = Assert.Single(live.GetProperty("boxes").EnumerateArray());
        Assert.Equal("live-a", box.Text("box"));
        Assert.Equal(6, box.GetProperty("plugs").GetInt32());
        Assert.Equal(150, box.Count("frames_stored"));
        var sockets = box.GetProperty("sockets").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6], sockets.Select(s => s.GetProperty("socket").GetInt32()));
        Assert.Equal(["dual", null, "single", null, null, null], sockets.Select(s => s.Text("machine")));

        // Newest frame 40 W × socket; the mean weighs each second by its frames: (100 × 10 + 50 × 40) / 150 = 20 W × socket.
        Assert.Equal([40.0, 80, 120, 160, 200, 240], sockets.Select(s => s.Number("power_watts")));
        Assert.Equal([20.0, 40, 60, 80, 100, 120], sockets.Select(s => s.Number("mean_watts")));

        // dual's other supply is on live-b, not shown, and still counted: never a partial sum.
        var machines = live.GetProperty("machines").EnumerateArray().ToList();
        Assert.Equal(["dual", "single"], machines.Select(m => m.Text("machine")));
        Assert.Equal(["live-a:1", "live-b:2"], machines[0].GetProperty("sockets").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(40 + 5, machines[0].Number("power_watts"));
        Assert.Equal(20 + 5, machines[0].Number("mean_watts"));
        Assert.Equal(120, machines[1].Number("power_watts"));
    }

    [Fact]
    public async Task GetLive_Machine_OnlyItsSocketsOnEveryBoxItIsOn()
    {
        var live = await _http.GetJsonAsync("/api/live?machine=dual");

        var boxes = live.GetProperty("boxes").EnumerateArray().ToList();
        Assert.Equal(["live-a", "live-b"], boxes.Select(b => b.Text("box")));
        Assert.Equal(1, Assert.Single(boxes[0].GetProperty("sockets").EnumerateArray()).GetProperty("socket").GetInt32());
        Assert.Equal(2, Assert.Single(boxes[1].GetProperty("sockets").EnumerateArray()).GetProperty("socket").GetInt32());
        var machine = Assert.Single(live.GetProperty("machines").EnumerateArray());
        Assert.Equal("dual", machine.Text("machine"));
        Assert.Equal(45, machine.Number("power_watts"));
    }

    [Fact]
    public async Task GetLive_AllBoxesAndShorterMean_TheNewestSecondOnly()
    {
        var live = await _http.GetJsonAsync("/api/live?seconds=1");

        Assert.Equal(["live-a", "live-b"], live.GetProperty("boxes").EnumerateArray().Select(b => b.Text("box")));
        Assert.Equal(40, live.GetProperty("boxes")[0].GetProperty("sockets")[0].Number("mean_watts"));
        Assert.InRange(live.GetProperty("boxes")[1].Number("last_frame_age_seconds"), 0, double.MaxValue);
    }

    [Theory]
    [InlineData("?box=nope", HttpStatusCode.NotFound, "unknown box 'nope'")]
    [InlineData("?machine=nobody", HttpStatusCode.NotFound, "unknown machine 'nobody'")]
    [InlineData("?machine=later", HttpStatusCode.Conflict, "is on no socket now")]
    [InlineData("?box=live-a&machine=dual", HttpStatusCode.BadRequest, "not both")]
    [InlineData("?seconds=0", HttpStatusCode.BadRequest, "seconds must be 1 to 600")]
    [InlineData("?box=bad%20box", HttpStatusCode.BadRequest, "'bad box' is not a valid box id")]
    public async Task GetLive_BadRequest_OneSentence(string query, HttpStatusCode expected, string contains)
    {
        using var response = await _http.GetAsync(new Uri("/api/live" + query, UriKind.Relative));

        await SiloApi.AssertErrorAsync(response, expected, contains);
    }

    /// <summary>The silo of the class, fed through HTTP as <c>fleet import</c> feeds it.</summary>
    public sealed class LiveSilo : IAsyncLifetime
    {
        private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
        private readonly SiloFixture _silo = new();

        public HttpClient Http => _silo.Http;

        public async Task InitializeAsync()
        {
            await _silo.InitializeAsync();
            await ImportAsync("live-a", 1, Frames(0, 100, s => 10f * s));
            await ImportAsync("live-a", 2, Frames(1, 50, s => 40f * s));
            await ImportAsync("live-b", 1, Frames(0, 100, _ => 5f));
            await AssignAsync("dual", Start.AddHours(-1), "live-a:1", "live-b:2");
            await AssignAsync("single", Start.AddHours(-1), "live-a:3");
            await AssignAsync("later", DateTimeOffset.UtcNow.AddDays(1), "live-b:6");
        }

        public Task DisposeAsync() => _silo.DisposeAsync();

        /// <summary><paramref name="count"/> frames from the start of second <paramref name="second"/>, every socket at <paramref name="watts"/>(socket).</summary>
        private static (long[] Times, float[] Powers) Frames(int second, int count, Func<int, float> watts)
        {
            var start = Start.AddSeconds(second).ToUnixTimeMilliseconds() * 1000;
            return ([.. Enumerable.Range(0, count).Select(k => start + (k * 10_000L))], [.. Enumerable.Range(0, count).SelectMany(_ => Enumerable.Range(1, 6).Select(watts))]);
        }

        private async Task ImportAsync(string box, long sequence, (long[] Times, float[] Powers) frames)
        {
            var count = frames.Times.Length;
            var request = new FramesImportRequest(
                string.Create(CultureInfo.InvariantCulture, $"live-test-{box}"), sequence, 6, frames.Times, null, [.. Enumerable.Repeat(true, count)],
                [.. Enumerable.Repeat(230f, 3 * count)], [.. Enumerable.Repeat(0.5f, 6 * count)], frames.Powers, null);
            using var response = await Http.PostAsync(new Uri($"/api/boxes/{box}/frames", UriKind.Relative), JsonContent.Create(request, FleetJsonContext.Default.FramesImportRequest));
            Assert.Equal("stored", (await SiloApi.ReadJsonAsync(response, HttpStatusCode.OK)).Text("outcome"));
        }

        private async Task AssignAsync(string machine, DateTimeOffset from, params string[] sockets)
        {
            using var response = await Http.PutAsync(
                new Uri($"/api/machines/{machine}/sockets", UriKind.Relative),
                JsonContent.Create(new AssignSocketsRequest(sockets, from), FleetJsonContext.Default.AssignSocketsRequest));
            Assert.Equal(JsonValueKind.Array, (await SiloApi.ReadJsonAsync(response, HttpStatusCode.OK)).ValueKind);
        }
    }
}
