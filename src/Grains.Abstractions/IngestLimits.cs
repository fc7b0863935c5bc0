namespace Fleet.Grains.Abstractions;

/// <summary>
/// The bounds every batch of frames is checked against, whatever its path (agent or import).
/// The storage columns hold every value that passes them.
/// </summary>
public static class IngestLimits
{
    /// <summary>Frames in one batch: an agent sends about 100, an import up to 10 s of a box.</summary>
    public const int MaxFramesPerBatch = 10_000;

    /// <summary>
    /// Frames of a box in one UTC second. The box sends 100; imported logs carry the logging
    /// host's receipt times, whose USB and scheduling jitter can bunch a few more into a second.
    /// </summary>
    public const int MaxFramesPerSecond = 120;

    /// <summary>Longest source id (an agent run, or an imported file).</summary>
    public const int MaxSourceIdLength = 200;

    /// <summary>Earliest time Fleet stores or serves: frames and query windows lie in [<see cref="EarliestTime"/>, <see cref="EndTime"/>).</summary>
    public static DateTimeOffset EarliestTime { get; } = DateTimeOffset.UnixEpoch;

    /// <summary>The first time past the range Fleet stores or serves (2200-01-01, far from .NET's and PostgreSQL's limits).</summary>
    public static DateTimeOffset EndTime { get; } = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Prefix of the writer id of an imported file: imports fill the past and never hold a box.</summary>
    public const string ImportWriterPrefix = "import:";
}
