namespace Fleet.Cli.Importing;

/// <summary><c>fleet import --format box-tsv --json</c>: what was read and what the silo stored.</summary>
internal sealed record BoxTsvImportReport(
    string Format,
    string Resolution,
    string File,
    string Box,
    string TimeZone,
    long Rows,
    IReadOnlyList<int> Sockets,
    long Values,
    long StepSeconds,
    bool StepInferred,
    string From,
    string To,
    long Inserted,
    long Updated,
    long Unchanged);
