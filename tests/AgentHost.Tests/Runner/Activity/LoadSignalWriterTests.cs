using System.Diagnostics;
using Fleet.AgentHost.Runner.Activity;
using Fleet.OmegaWatt.Simulation;

namespace Fleet.AgentHost.Tests.Runner.Activity;

/// <summary>The runner's side of a wired simulated socket: its activity, in the file the box reads.</summary>
public sealed class LoadSignalWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-signal-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunAsync_BusyTree_WiredSocketDrawsItsCoreThenIdleWhenStopped()
    {
        var path = Path.Combine(_directory, "runner.load");
        using var busy = Process.Start(new ProcessStartInfo("sh") { ArgumentList = { "-c", "while :; do :; done" } })!;
        using var stop = new CancellationTokenSource();
        try
        {
            var writer = new LoadSignalWriter(new ProcessTreeActivity(busy.Id), path);
            var run = writer.RunAsync(stop.Token);
            var socket = WiredLoad.FromFile(path, idleWatts: 90, wattsPerCore: 60);

            var clock = Stopwatch.StartNew();
            var seconds = 0.0;
            while (socket.PowerWatts(seconds += 1) < 90 + (60 * 0.5))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the wired socket never drew the busy core: {socket.PowerWatts(seconds += 1)} W");
                await Task.Delay(100);
            }

            await stop.CancelAsync();
            await run;

            Assert.Equal(90, socket.PowerWatts(seconds + 1));
        }
        finally
        {
            busy.Kill(entireProcessTree: true);
        }
    }
}
