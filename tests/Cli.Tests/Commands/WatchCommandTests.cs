using System.Diagnostics;
using System.Net;
using System.Text;
using Fleet.Cli.Tests.Support;

namespace Fleet.Cli.Tests.Commands;

/// <summary>`fleet watch` on a real terminal (a pty from script(1)), interrupted with Ctrl-C as a user does.</summary>
public sealed class WatchCommandTests : IDisposable
{
    private const string HideCursor = "\u001b[?25l";
    private const string ShowCursor = "\u001b[?25h";

    private const string Live = """
        {"time":"2026-11-25T10:00:00+00:00","mean_seconds":10,"boxes":[{"box":"box-a","plugs":6,"agent_host":"lab-1","frames_stored":1000,
         "frames_per_second":100,"frames_missing_by_id":0,"frames_bad_check":0,"last_frame_time":"2026-11-25T10:00:00+00:00","last_frame_age_seconds":0.4,
         "sockets":[{"socket":1,"machine":"srv-1","power_watts":95.1,"mean_watts":95.0}]}],"machines":[]}
        """;

    private readonly FakeSilo _silo = new();

    public void Dispose() => _silo.Dispose();

    [Fact]
    public async Task Watch_CtrlCOnATerminal_LeavesTheCursorVisible()
    {
        for (var k = 0; k < 200; k++)
        {
            _silo.Answer(HttpStatusCode.OK, Live);
        }

        var start = new ProcessStartInfo("script") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        // env --default-signal: a test run started in the background (`./test &`, nohup) passes
        // SIGINT down ignored, and the terminal's Ctrl-C would never reach fleet.
        foreach (var argument in new[] { "-qfec", $"env --default-signal=INT dotnet '{Path.Combine(AppContext.BaseDirectory, "Fleet.Cli.dll")}' watch --interval 0.2 --url {_silo.Address}", "/dev/null" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TERM"] = "xterm";
        start.Environment.Remove("FLEET_URL");
        using var terminal = Process.Start(start)!;
        var output = new StringBuilder();
        var reading = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int read;
            while ((read = await terminal.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (output)
                {
                    output.Append(buffer, 0, read);
                }
            }
        });

        try
        {
            // Two redraws: the live loop runs and the cursor is hidden.
            await WaitForAsync(() => Count(output, "fleet watch") >= 2, "two redraws of the table", output);
            await terminal.StandardInput.WriteAsync('\u0003');
            await terminal.StandardInput.FlushAsync();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await terminal.WaitForExitAsync(exit.Token);
            await reading;
        }
        finally
        {
            if (!terminal.HasExited)
            {
                terminal.Kill(entireProcessTree: true);
            }
        }

        var text = output.ToString();
        Assert.Contains(HideCursor, text, StringComparison.Ordinal);
        Assert.True(text.LastIndexOf(ShowCursor, StringComparison.Ordinal) > text.LastIndexOf(HideCursor, StringComparison.Ordinal), "the cursor is still hidden after Ctrl-C");
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    private static int Count(StringBuilder output, string text)
    {
        lock (output)
        {
            var all = output.ToString();
            var count = 0;
            for (var at = all.IndexOf(text, StringComparison.Ordinal); at >= 0; at = all.IndexOf(text, at + 1, StringComparison.Ordinal))
            {
                count++;
            }

            return count;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what, StringBuilder output)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                lock (output)
                {
                    throw new TimeoutException($"no {what} within 60 s; the terminal showed:\n{output}");
                }
            }

            await Task.Delay(50);
        }
    }
}
