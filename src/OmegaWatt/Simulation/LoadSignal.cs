using System.Globalization;

namespace Fleet.OmegaWatt.Simulation;

/// <summary>
/// The small text file through which a runner tells a simulated box how busy its machine is: one
/// decimal number, the CPU cores in use (invariant culture, e.g. "1.73"). The runner rewrites it
/// about every 100 ms; the box reads it for the sockets wired to it.
/// </summary>
public sealed class LoadSignal
{
    private readonly string _path;
    private double _lastCores;

    public LoadSignal(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
    }

    public string Path => _path;

    /// <summary>
    /// Replaces the file's content atomically: a reader sees the old number or the new one, never
    /// half of one, because the new content is written to a temporary file in the same directory
    /// and renamed over the old (rename is atomic on one file system).
    /// </summary>
    public static void Write(string path, double cores)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, cores.ToString("0.###", CultureInfo.InvariantCulture) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// The cores the file says now. A missing, unreadable, empty or garbled file (the runner not
    /// started yet, or a writer that does not rename) gives the last good value, 0 before any: a
    /// demo box must keep running whatever the file holds.
    /// </summary>
    public double ReadCores()
    {
        try
        {
            var text = File.ReadAllText(_path);
            if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var cores) && double.IsFinite(cores) && cores >= 0)
            {
                _lastCores = cores;
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // FileNotFound and DirectoryNotFound are IOExceptions too: keep the last value.
        }

        return _lastCores;
    }
}
