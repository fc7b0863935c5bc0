namespace Fleet.Cli.Plotting;

/// <summary><c>fleet plot --json</c>: what was drawn, for scripts that check a plot without opening it.</summary>
/// <param name="Out">The image written.</param>
/// <param name="StepSeconds">Seconds per point the silo served: 0.01 for raw frames.</param>
/// <param name="Phases">The shaded phases, in time order.</param>
internal sealed record PlotSummary(string Out, string From, string To, double StepSeconds, double MovingAverageSeconds, IReadOnlyList<PlotLineSummary> Lines, IReadOnlyList<string> Phases);
