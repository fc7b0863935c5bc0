using System.Globalization;
using System.Text.Json;
using Fleet.Grains.Abstractions.Messages;

namespace Fleet.AgentHost.Spooling;

/// <summary>
/// The spool's <c>rejected/</c> folder: batches the cluster refused for good, each as a pair of
/// files named <c>TIME-SEQUENCE</c> (UTC refusal time to the millisecond, then the batch's
/// sequence, so names sort by time and sequence): <c>.batch</c> holds the batch in the spool's
/// record format, <c>.json</c> says why (reason, source, sequence, frame times, refusal time).
/// Nothing reads them back automatically: they wait for a person.
/// </summary>
/// <remarks>Not thread-safe: the spool calls it under its lock.</remarks>
internal sealed class RejectedBatches
{
    public const string DirectoryName = "rejected";
    private const string TimeFormat = "yyyyMMddTHHmmssfff";
    private static readonly JsonWriterOptions Indented = new() { Indented = true };
    private DateTimeOffset _lastTime;
    private long _quarantined;
    private long _onDisk;
    private long _writeFailures;

    public RejectedBatches(string directory)
    {
        Directory = directory;
        // Counted at start so `rejected/` holding batches from an earlier run is visible, not just this run's.
        _onDisk = System.IO.Directory.Exists(directory) ? System.IO.Directory.EnumerateFiles(directory, "*.json").LongCount() : 0;
    }

    public string Directory { get; }

    /// <summary>Batches quarantined since start, written or not.</summary>
    public long Quarantined => Interlocked.Read(ref _quarantined);

    /// <summary>Reason files in the folder: earlier runs' and this run's.</summary>
    public long OnDisk => Interlocked.Read(ref _onDisk);

    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Writes the batch and its reason; false (counted) when the disk refused, leaving no half-written pair behind.</summary>
    public bool Write(FrameBatch batch, string reason, DateTimeOffset refused)
    {
        Interlocked.Increment(ref _quarantined);
        string? batchPath = null;
        string? reasonPath = null;
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var stem = Stem(batch.Sequence, refused);
            batchPath = Path.Combine(Directory, stem + ".batch");
            reasonPath = Path.Combine(Directory, stem + ".json");
            WriteDurably(batchPath, FrameBatchCodec.Encode(batch));
            WriteDurably(reasonPath, Describe(batch, reason, refused, Path.GetFileName(batchPath)));
            Interlocked.Increment(ref _onDisk);
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _writeFailures);
            TryDelete(reasonPath);
            TryDelete(batchPath);
            return false;
        }
    }

    /// <summary>A name no other quarantined batch has, sorting after the earlier ones even if the clock stepped back.</summary>
    private string Stem(long sequence, DateTimeOffset refused)
    {
        var time = refused.ToUniversalTime();
        time = new DateTimeOffset(time.Ticks - (time.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        if (time <= _lastTime)
        {
            time = _lastTime.AddMilliseconds(1);
        }

        string stem;
        while (true)
        {
            stem = string.Create(CultureInfo.InvariantCulture, $"{time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}-{sequence:D12}");
            if (!File.Exists(Path.Combine(Directory, stem + ".batch")) && !File.Exists(Path.Combine(Directory, stem + ".json")))
            {
                break;
            }

            time = time.AddMilliseconds(1);
        }

        _lastTime = time;
        return stem;
    }

    private static byte[] Describe(FrameBatch batch, string reason, DateTimeOffset refused, string batchFile)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, Indented))
        {
            writer.WriteStartObject();
            writer.WriteString("reason", reason);
            writer.WriteString("refusedUtc", refused.ToUniversalTime());
            writer.WriteString("sourceId", batch.SourceId);
            writer.WriteNumber("sequence", batch.Sequence);
            writer.WriteString("agentHost", batch.AgentHost);
            writer.WriteString("writerId", batch.WriterId);
            writer.WriteNumber("plugs", batch.Plugs);
            writer.WriteNumber("frames", batch.Count);
            if (batch.Count > 0)
            {
                writer.WriteString("firstFrameUtc", FrameTime(batch.TimesUnixMicroseconds[0]));
                writer.WriteString("lastFrameUtc", FrameTime(batch.TimesUnixMicroseconds[^1]));
            }
            else
            {
                writer.WriteNull("firstFrameUtc");
                writer.WriteNull("lastFrameUtc");
            }

            writer.WriteString("batchFile", batchFile);
            writer.WriteEndObject();
        }

        json.WriteByte((byte)'\n');
        return json.ToArray();
    }

    private static DateTimeOffset FrameTime(long unixMicroseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(unixMicroseconds * (TimeSpan.TicksPerMillisecond / 1000));

    private static void WriteDurably(string path, byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }

    private static void TryDelete(string? path)
    {
        try
        {
            if (path is not null)
            {
                File.Delete(path);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Best effort after a failed write; a stray .batch without its .json is harmless.
        }
    }
}
