using System.Globalization;

namespace Fleet.AgentHost.Spooling;

/// <summary>
/// Where the spool's oldest unacknowledged record starts (<c>SEGMENT OFFSET</c> in the file
/// <c>acknowledged</c>): everything before it was acknowledged. Reopening skips what it covers,
/// so a restart does not send again what the cluster already has, nor a quarantined batch.
/// </summary>
/// <remarks>
/// An optimisation, never a risk of loss: it is written after the acknowledgement, replaced
/// atomically (write, then rename), and a missing, stale or unreadable mark only means
/// batches are sent again, which the meter grain drops.
/// </remarks>
internal sealed class AcknowledgedMark(string spoolDirectory)
{
    private const string FileName = "acknowledged";
    private readonly string _path = Path.Combine(spoolDirectory, FileName);

    /// <summary>The segment file name and offset of the mark; null when there is none or it is unreadable.</summary>
    public (string Segment, long Offset)? Read()
    {
        try
        {
            var parts = File.Exists(_path) ? File.ReadAllText(_path).Split(' ', StringSplitOptions.TrimEntries) : [];
            return parts.Length == 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                && parts[0].Length > 0 && parts[0] == Path.GetFileName(parts[0])
                ? (parts[0], offset)
                : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Moves the mark; <paramref name="durable"/> flushes it to disk first. False when the disk refused (the mark stays where it was).</summary>
    public bool Write(string segment, long offset, bool durable)
    {
        var temporary = _path + ".tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1))
            {
                file.Write(System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{segment} {offset}\n")));
                if (durable)
                {
                    file.Flush(flushToDisk: true);
                }
            }

            File.Move(temporary, _path, overwrite: true);
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
