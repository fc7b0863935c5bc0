using Fleet.OmegaWatt.Time;

namespace Fleet.Cli.Importing;

/// <summary>What a box TSV import stored, for the text and JSON outputs.</summary>
internal sealed class BoxTsvSummary
{
    public long Rows { get; init; }

    public IReadOnlyList<int> Sockets { get; init; } = [];

    public long StepSeconds { get; init; }

    public bool StepInferred { get; init; }

    public long FirstUnixSeconds { get; init; }

    public long LastUnixSeconds { get; init; }

    public long Inserted { get; set; }

    public long Updated { get; set; }

    public long Unchanged { get; set; }

    public BoxTsvImportReport ToReport(string path, string boxId, TimeSpan zone) => new(
        "box-tsv",
        "low_frequency",
        path,
        boxId,
        UtcOffset.Format(zone),
        Rows,
        Sockets,
        Rows * Sockets.Count,
        StepSeconds,
        StepInferred,
        IsoTime.FormatUnixSeconds(FirstUnixSeconds),
        IsoTime.FormatUnixSeconds(LastUnixSeconds + StepSeconds),
        Inserted,
        Updated,
        Unchanged);
}
