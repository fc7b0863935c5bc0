namespace Fleet.Cli.Importing;

/// <summary>A line of an imported log that was skipped, and why.</summary>
internal sealed record SkippedLine(long Line, string Reason);
