using System.Net;
using Fleet.Silo.Tests.Support;

namespace Fleet.Silo.Tests.Api;

/// <summary>/api/energy against the independent clean 6-plug capture stored as box-lab (see <see cref="CaptureSiloFixture"/>).</summary>
public sealed class EnergyEndpointsTests : IClassFixture<CaptureSiloFixture>
{
    private const string Box = CaptureSiloFixture.Box;
    private static readonly DateTimeOffset Start = CaptureSiloFixture.Start;
    private readonly CaptureSiloFixture _silo;

    public EnergyEndpointsTests(CaptureSiloFixture silo) => _silo = silo;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task GetEnergy_SocketOverWholeCapture_EqualsFixtureEnergyWithFullCoverage(int socket)
    {
        var energy = await _silo.Http.GetJsonAsync($"/api/energy?box={Box}&socket={socket}&from={Time(0)}&to={Time(30)}");

        // The generator's own figure, not one computed from our decoder.
        AssertJoules(_silo.Expected.EnergyJoules[socket - 1], energy.Number("joules"));
        Assert.Equal(_silo.Expected.FramesValid, energy.Count("frames"));
        Assert.Equal(3000, energy.Count("frames_expected"));
        Assert.Equal(1.0, energy.Number("coverage"));
        Assert.Equal(Start, energy.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(Start.AddSeconds(30), energy.GetProperty("to").GetDateTimeOffset());
    }

    [Fact]
    public async Task GetEnergy_WindowTwiceTheCapture_SameJoulesHalfCoverageMeanOverTheCoveredTimeNothingInvented()
    {
        var energy = await _silo.Http.GetJsonAsync($"/api/energy?box={Box}&socket=3&from={Time(-15)}&to={Time(45)}");

        AssertJoules(_silo.Expected.EnergyJoules[2], energy.Number("joules"));
        Assert.Equal(3000, energy.Count("frames"));
        Assert.Equal(6000, energy.Count("frames_expected"));
        Assert.Equal(0.5, energy.Number("coverage"), 1e-12);
        // The 15 s before the first frame and after the last are not filled in, and do not thin the mean.
        AssertJoules(_silo.Expected.EnergyJoules[2], energy.Number("interpolated_joules"));
        Assert.Equal(0, energy.Count("frames_interpolated"));
        Assert.Equal(Start, energy.GetProperty("covered_from").GetDateTimeOffset());
        Assert.Equal(Start.AddSeconds(30), energy.GetProperty("covered_to").GetDateTimeOffset());
        Assert.Equal(30, energy.Number("covered_seconds"), 1e-9);
        AssertJoules(_silo.Expected.EnergyJoules[2] / 30, energy.Number("mean_watts"));
        var socket = Assert.Single(energy.GetProperty("sockets").EnumerateArray());
        Assert.Equal(Box, socket.GetProperty("box").GetString());
        Assert.Equal(3, socket.GetProperty("socket").GetInt32());
    }

    [Fact]
    public async Task GetEnergy_WindowWithPartialSeconds_EqualsSumOfFramesInside()
    {
        // Edges inside seconds exercise both the raw frames and the per-second rollups.
        var energy = await _silo.Http.GetJsonAsync($"/api/energy?box={Box}&socket=1&from={Time(1.25)}&to={Time(17.73)}");

        AssertJoules(_silo.ExpectedJoules(1.25, 17.73, 1), energy.Number("joules"));
        Assert.Equal(CaptureSiloFixture.FramesIn(1.25, 17.73), energy.Count("frames"));
    }

    [Fact]
    public async Task GetEnergy_MachineWithTwoPowerSupplies_SumsBothSockets()
    {
        var energy = await _silo.Http.GetJsonAsync($"/api/energy?machine=m2&from={Time(0)}&to={Time(30)}");

        AssertJoules(_silo.Expected.EnergyJoules[1] + _silo.Expected.EnergyJoules[2], energy.Number("joules"));
        Assert.Equal(6000, energy.Count("frames"));
        Assert.Equal(6000, energy.Count("frames_expected"));
        Assert.Equal(1.0, energy.Number("coverage"));
    }

    [Fact]
    public async Task GetEnergy_MachinePartialWindow_EqualsItsSocketsFrames()
    {
        var energy = await _silo.Http.GetJsonAsync($"/api/energy?machine=m2&from={Time(4.5)}&to={Time(12)}");

        AssertJoules(_silo.ExpectedJoules(4.5, 12, 2, 3), energy.Number("joules"));
        Assert.Equal(2 * CaptureSiloFixture.FramesIn(4.5, 12), energy.Count("frames"));
    }

    [Theory]
    [InlineData("box=box-lab&socket=1&from={10}&to={0}", HttpStatusCode.BadRequest, "must be before")]
    [InlineData("box=box-lab&socket=1&from={5}&to={5}", HttpStatusCode.BadRequest, "must be before")]
    [InlineData("machine=m1&from={10}&to={0}", HttpStatusCode.BadRequest, "must be before")]
    [InlineData("box=box-lab&socket=1&from=yesterday&to={5}", HttpStatusCode.BadRequest, "'yesterday'")]
    [InlineData("box=box-lab&socket=1&from={0}&to=2026-13-45T99:00:00Z", HttpStatusCode.BadRequest, "'2026-13-45T99:00:00Z'")]
    [InlineData("box=box-lab&socket=1&to={5}", HttpStatusCode.BadRequest, "'from' is required")]
    [InlineData("box=box-lab&socket=1&from={0}", HttpStatusCode.BadRequest, "'to' is required")]
    [InlineData("box=no-such-box&socket=1&from={0}&to={5}", HttpStatusCode.NotFound, "unknown box 'no-such-box'")]
    [InlineData("machine=no-such-machine&from={0}&to={5}", HttpStatusCode.NotFound, "unknown machine 'no-such-machine'")]
    [InlineData("box=box-lab&socket=0&from={0}&to={5}", HttpStatusCode.BadRequest, "1 to 6")]
    [InlineData("box=box-lab&socket=7&from={0}&to={5}", HttpStatusCode.BadRequest, "1 to 6")]
    [InlineData("box=box-lab&from={0}&to={5}", HttpStatusCode.BadRequest, "1 to 6")]
    [InlineData("box=box-lab&socket=abc&from={0}&to={5}", HttpStatusCode.BadRequest, "socket")]
    [InlineData("box=box-lab&socket=99999999999&from={0}&to={5}", HttpStatusCode.BadRequest, "socket")]
    [InlineData("from={0}&to={5}", HttpStatusCode.BadRequest, "either machine")]
    [InlineData("machine=m1&box=box-lab&socket=1&from={0}&to={5}", HttpStatusCode.BadRequest, "either machine")]
    [InlineData("machine=bad%20name!&from={0}&to={5}", HttpStatusCode.BadRequest, "'bad name!'")]
    [InlineData("box=bad%20box&socket=1&from={0}&to={5}", HttpStatusCode.BadRequest, "'bad box'")]
    public async Task GetEnergy_BadQuery_ClientErrorSayingWhy(string query, HttpStatusCode expected, string contains)
    {
        using var response = await _silo.Http.GetAsync(new Uri("/api/energy?" + query.Replace("{0}", Time(0), StringComparison.Ordinal)
            .Replace("{5}", Time(5), StringComparison.Ordinal).Replace("{10}", Time(10), StringComparison.Ordinal), UriKind.Relative));

        await SiloApi.AssertErrorAsync(response, expected, contains);
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("2026-11-25T08:00:00.0000001Z", "2026-11-25T08:00:00.0000002Z")]
    [InlineData("2026-11-25T10:00:00%2B02:00", "2026-11-25T08:00:30Z")]
    public async Task GetEnergy_ExtremeButValidWindows_Answered(string from, string to)
    {
        var energy = await _silo.Http.GetJsonAsync($"/api/energy?box={Box}&socket=1&from={from}&to={to}");

        Assert.True(energy.Number("joules") >= 0);
        Assert.InRange(energy.Number("coverage"), 0, 1);
    }

    private static string Time(double seconds) => Uri.EscapeDataString(SiloApi.Time(Start.AddSeconds(seconds)));

    private static void AssertJoules(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= Math.Max(1e-4 * Math.Abs(expected), 1e-9), $"expected {expected} J (±0.01 %), got {actual} J");
}
