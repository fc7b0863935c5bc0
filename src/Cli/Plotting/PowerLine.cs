namespace Fleet.Cli.Plotting;

/// <summary>One line of a power chart: a machine's (or a socket's) mean watts per step, in time order (UTC).</summary>
internal sealed record PowerLine(string Label, IReadOnlyList<DateTime> TimesUtc, IReadOnlyList<double> Watts);

/// <summary>A named phase of an experiment, shaded on the chart from its mark to the next one.</summary>
internal sealed record PhaseSpan(string Name, DateTimeOffset From, DateTimeOffset To);
