namespace Fleet.OmegaWatt.Csv;

/// <summary>One row of a box TSV file: its line, the start of its step (Unix seconds, UTC) and the mean power of each mapped socket, in <see cref="BoxTsvLayout.PowerColumns"/> order.</summary>
public sealed record BoxTsvRow(long Line, long UnixSeconds, double[] Watts);
