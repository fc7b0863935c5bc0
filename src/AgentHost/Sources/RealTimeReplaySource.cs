using System.IO.Pipelines;
using Fleet.OmegaWatt.Protocol;

namespace Fleet.AgentHost.Sources;

/// <summary>
/// Replays a capture at the pace the box sent it: each frame is released when its time
/// (10 ms per frame-id step since the first frame) has come. Garbage between frames is
/// passed through untouched, so the consumer sees exactly the captured bytes.
/// </summary>
public sealed class RealTimeReplaySource : IByteSource
{
    private const int WindowLength = 256 * 1024;
    private readonly string _path;
    private readonly TimeProvider _time;

    public RealTimeReplaySource(string path, TimeProvider? time = null)
    {
        _path = path;
        _time = time ?? TimeProvider.System;
    }

    public string Description => $"replay {_path} (real time)";

    public async Task RunAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        // A decoder of its own finds where frames end and when they are due; the consumer
        // decodes the released bytes again, garbage included.
        var pacer = new FrameDecoder();
        var window = new byte[WindowLength];
        var frameEnds = new List<(int End, long Sequence)>();
        var filled = 0;
        var started = _time.GetTimestamp();
        while (true)
        {
            var read = await file.ReadAsync(window.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            filled += read;
            var scanned = FindFrames(pacer, window.AsSpan(0, filled), frameEnds);
            var released = 0;
            foreach (var (end, sequence) in frameEnds)
            {
                var due = TimeSpan.FromTicks(sequence * FrameLayout.FramePeriod.Ticks) - _time.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    // Hand over everything already due in one write, then wait until this frame is
                    // due, and at least a wake interval: the frames due meanwhile go out together,
                    // so the replay wakes a few times a second, not once per frame.
                    await output.WriteAsync(window.AsMemory(released, end - released), cancellationToken).ConfigureAwait(false);
                    released = end;
                    await Task.Delay(due > PacedSource.WakeInterval ? due : PacedSource.WakeInterval, _time, cancellationToken).ConfigureAwait(false);
                }
            }

            if (read == 0)
            {
                // End of file: the rest (a cut frame, trailing garbage) goes through as captured.
                await output.WriteAsync(window.AsMemory(released, filled - released), cancellationToken).ConfigureAwait(false);
                return;
            }

            await output.WriteAsync(window.AsMemory(released, scanned - released), cancellationToken).ConfigureAwait(false);
            window.AsSpan(scanned, filled - scanned).CopyTo(window);
            filled -= scanned;
        }
    }

    /// <summary>Lists where each complete frame ends; returns how many bytes the decoder consumed.</summary>
    private static int FindFrames(FrameDecoder pacer, ReadOnlySpan<byte> bytes, List<(int End, long Sequence)> frameEnds)
    {
        frameEnds.Clear();
        var rest = bytes;
        while (pacer.TryReadFrame(ref rest, out var frame))
        {
            frameEnds.Add((bytes.Length - rest.Length, frame.Sequence));
        }

        return bytes.Length - rest.Length;
    }
}
