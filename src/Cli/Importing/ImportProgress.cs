using System.Diagnostics;
using System.Globalization;

namespace Fleet.Cli.Importing;

/// <summary>
/// Progress of a long import on stderr, at most once a second: a small file prints nothing, a
/// log of gigabytes says how far it is and how fast it goes instead of looking hung.
/// </summary>
internal sealed class ImportProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long _totalBytes;
    private TimeSpan _lastPrinted;

    public ImportProgress(long totalBytes) => _totalBytes = totalBytes;

    public void Report(string what, long lines, long bytesRead)
    {
        var elapsed = _clock.Elapsed;
        if (elapsed - _lastPrinted < Interval)
        {
            return;
        }

        _lastPrinted = elapsed;
        var percent = _totalBytes == 0 ? 100 : 100.0 * Math.Min(bytesRead, _totalBytes) / _totalBytes;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fleet import: {what}: {lines:N0} lines, {percent:F0} % of {_totalBytes / 1e6:F1} MB, {lines / elapsed.TotalSeconds:N0} lines/s"));
    }
}
