using System.Globalization;

namespace Fleet.AgentHost.Spooling;

/// <summary>
/// The agent's identity as a box's writer, kept in its spool directory: an agent restarted on
/// the same spool (after a crash, or a replay run again) is the same writer and may go on
/// feeding its box, while a second agent with another spool is refused until the first has
/// been silent for the takeover time.
/// </summary>
public static class WriterIdentity
{
    private const string FileName = "writer-id";

    /// <summary>Reads the writer id of <paramref name="spoolDirectory"/>, creating one (host name plus a random part) on first use.</summary>
    public static string LoadOrCreate(string spoolDirectory, string agentHost)
    {
        Directory.CreateDirectory(spoolDirectory);
        var path = Path.Combine(spoolDirectory, FileName);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            return existing;
        }

        var created = string.Create(CultureInfo.InvariantCulture, $"{agentHost}/{Guid.NewGuid():N}");
        var temporary = path + ".tmp";
        try
        {
            // Written aside and renamed, so a crash or a full disk never leaves half an id to be read as another writer.
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(System.Text.Encoding.UTF8.GetBytes(created + "\n"));
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A full disk must not stop the agent: it measures as this writer, and a restart
            // picks a new id (refused until the takeover time if this one is still feeding the box).
            File.Delete(temporary);
        }

        return created;
    }
}
