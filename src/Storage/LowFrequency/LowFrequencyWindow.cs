namespace Fleet.Storage.LowFrequency;

/// <summary>
/// A socket's low-frequency history over [from, to): the steps overlapping the window and the
/// energy they account for (Σ mean W × the seconds of each step inside the window).
/// </summary>
/// <param name="StepSeconds">The one step the points have.</param>
/// <param name="Points">Steps overlapping the window, in time order.</param>
/// <param name="Joules">Σ mean_w × (seconds of the step inside the window).</param>
/// <param name="CoveredSeconds">Seconds of the window covered by a step.</param>
public sealed record LowFrequencyWindow(int StepSeconds, IReadOnlyList<LowFrequencyPoint> Points, double Joules, double CoveredSeconds);
