using Fleet.Storage.Assignments;
using Fleet.Storage.Energy;
using Fleet.Storage.Samples;
using Fleet.Storage.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.Storage.Tests.Assignments;

public sealed class AssignmentStoreTests : IClassFixture<MigratedDatabaseFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly MigratedDatabaseFixture _database;

    public AssignmentStoreTests(MigratedDatabaseFixture database) => _database = database;

    [Fact]
    public async Task AssignAsync_MoveMachine_KeepsHistoryAndEnergyFollowsTheRightSocket()
    {
        var store = new AssignmentStore(_database.DataSource);
        var blocks = CaptureBlocks.FromCapture(File.ReadAllBytes(Fixtures.Capture("clean-6plugs")), "box-move", Start, framesPerBlock: 100);
        var writer = new SampleWriter(_database.DataSource);
        foreach (var block in blocks)
        {
            await writer.WriteAsync(block);
        }

        await store.AssignAsync("srv-move", [("box-move", 1)], Start);
        await store.AssignAsync("srv-move", [("box-move", 3)], Start.AddSeconds(10));

        var history = await store.ListAsync("srv-move");
        Assert.Equal(2, history.Count);
        Assert.Equal((1, Start, (DateTimeOffset?)Start.AddSeconds(10)), (history[0].Socket, history[0].ValidFrom, history[0].ValidTo));
        Assert.Equal((3, Start.AddSeconds(10), (DateTimeOffset?)null), (history[1].Socket, history[1].ValidFrom, history[1].ValidTo));
        Assert.Equal(3, Assert.Single(await store.ListAsync("srv-move", Start.AddSeconds(15))).Socket);

        var energy = new EnergyQueries(_database.DataSource);
        var machine = await energy.GetMachineEnergyAsync("srv-move", Start, Start.AddSeconds(30));
        var first = await energy.GetSocketEnergyAsync("box-move", 1, Start, Start.AddSeconds(10));
        var second = await energy.GetSocketEnergyAsync("box-move", 3, Start.AddSeconds(10), Start.AddSeconds(30));
        Assert.Equal(first.Joules + second.Joules, machine.Joules, 1e-6);
        Assert.Equal(3000, machine.Frames);
        Assert.Equal(1.0, machine.Coverage);
    }

    [Fact]
    public async Task AssignAsync_TwoPowerSupplies_MachineEnergyIsTheSum()
    {
        var store = new AssignmentStore(_database.DataSource);
        var writer = new SampleWriter(_database.DataSource);
        foreach (var block in CaptureBlocks.FromCapture(File.ReadAllBytes(Fixtures.Capture("clean-6plugs")), "box-psu", Start, framesPerBlock: 300))
        {
            await writer.WriteAsync(block);
        }

        await store.AssignAsync("srv-psu", [("box-psu", 4), ("box-psu", 5)], Start);

        var energy = new EnergyQueries(_database.DataSource);
        var machine = await energy.GetMachineEnergyAsync("srv-psu", Start, Start.AddSeconds(30));
        var expected = Fixtures.Expected("clean-6plugs");
        Assert.Equal(expected.EnergyJoules[3] + expected.EnergyJoules[4], machine.Joules, 1e-4 * machine.Joules);
        // Both supplies together: the machine's mean is their sum, not the mean of one.
        Assert.Equal(machine.Joules / 30, machine.MeanWatts!.Value, 1e-6 * machine.Joules);
    }

    [Fact]
    public async Task AssignAsync_SocketHeldByAnotherMachine_RefusedNamingTheHolder()
    {
        var store = new AssignmentStore(_database.DataSource);
        await store.AssignAsync("srv-a", [("box-taken", 2)], Start);

        var error = await Assert.ThrowsAsync<SocketTakenException>(() => store.AssignAsync("srv-b", [("box-taken", 2)], Start.AddHours(1)));

        Assert.Contains("srv-a", error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ListAsync("srv-b"));
    }
}
