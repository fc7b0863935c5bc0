using System.Diagnostics;

namespace Fleet.AgentHost.Tests.Support;

/// <summary>
/// A real pseudo-terminal pair made by socat: bytes written to <see cref="WriterPath"/> come out
/// of <see cref="PortPath"/>, which the agent opens like /dev/ttyUSB0. Killing socat makes the
/// port disappear, as unplugging the USB adapter does.
/// </summary>
internal sealed class SocatPtyPair : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-pty-").FullName;
    private Process? _socat;

    public SocatPtyPair() => Start();

    public string WriterPath => Path.Combine(_directory, "box");

    public string PortPath => Path.Combine(_directory, "ttyUSB0");

    /// <summary>Unplug: the port vanishes.</summary>
    public void Unplug()
    {
        if (_socat is { HasExited: false })
        {
            // SIGTERM, so socat removes its links the way udev removes /dev/ttyUSB0.
            using (var kill = Process.Start("kill", ["-TERM", _socat.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }

            if (!_socat.WaitForExit(5000))
            {
                _socat.Kill();
                _socat.WaitForExit();
            }
        }

        _socat?.Dispose();
        _socat = null;
        WaitUntil(() => !File.Exists(PortPath), "socat to remove the port link");
    }

    /// <summary>Plug back in: a new pty appears under the same name.</summary>
    public void Replug() => Start();

    /// <summary>Opens the box side, writes, and closes it again (a writer that comes and goes).</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        using var box = new FileStream(WriterPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
        box.Write(bytes);
        box.Flush();
    }

    public void Dispose()
    {
        Unplug();
        Directory.Delete(_directory, recursive: true);
    }

    public static void WaitUntil(Func<bool> condition, string what, double seconds = 20)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed.TotalSeconds > seconds)
            {
                throw new TimeoutException($"timed out after {seconds} s waiting for {what}");
            }

            Thread.Sleep(10);
        }
    }

    private void Start()
    {
        var start = new ProcessStartInfo("socat")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.ArgumentList.Add($"pty,raw,echo=0,link={WriterPath}");
        start.ArgumentList.Add($"pty,raw,echo=0,link={PortPath}");
        _socat = Process.Start(start) ?? throw new InvalidOperationException("socat did not start (apt-get install socat)");
        WaitUntil(() => File.Exists(WriterPath) && File.Exists(PortPath), "socat to create the pty pair");
    }
}
