namespace Fleet.Cli.Plotting;

/// <summary>One line of a plot: its legend label and how many points it has.</summary>
internal sealed record PlotLineSummary(string Label, int Points);
