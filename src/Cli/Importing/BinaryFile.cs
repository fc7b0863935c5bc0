using Fleet.OmegaWatt.Protocol;

namespace Fleet.Cli.Importing;

/// <summary>
/// Whether a file meant to be a text log is binary, read from its first bytes, so the import
/// says what the file is instead of quoting its bytes as a bad header.
/// </summary>
internal static class BinaryFile
{
    private const int ProbeBytes = 4096;

    /// <summary>Null for text; else what the file looks like, in words.</summary>
    public static string? Describe(string path)
    {
        var head = new byte[ProbeBytes];
        int read;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
        {
            read = file.ReadAtLeast(head, ProbeBytes, throwOnEndOfStream: false);
        }

        var bytes = head.AsSpan(0, read);
        if (bytes.IndexOf(FrameLayout.Sync) >= 0)
        {
            return "a raw capture of a box's serial port (OmegaWatt frames), not a text log: 'fleet decode FILE' turns it into the vendor's CSV, "
                + "or replay it into a box with the agent (Fleet.AgentHost --replay FILE --box BOX --start TIME)";
        }

        // Text logs have no NUL and few control characters; anything else is not a log this reads.
        var control = 0;
        foreach (var b in bytes)
        {
            if (b == 0)
            {
                return "binary data, not a text log";
            }

            control += b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t' ? 1 : 0;
        }

        return control * 20 > read ? "binary data, not a text log" : null;
    }
}
