namespace Fleet.Api.Contracts.Importing;

/// <summary>
/// A socket's low-frequency history over [From, To) (GET /api/boxes/{box}/low-frequency);
/// <c>Resolution</c> is always "low_frequency", so it is never mistaken for 10 ms data.
/// </summary>
/// <param name="StepSeconds">The step of the points, null when the window holds none.</param>
/// <param name="StepsInWindow">Every step the socket has rows of in the window.</param>
/// <param name="Joules">Σ mean W × the seconds of each step inside the window.</param>
/// <param name="CoveredSeconds">Seconds of the window a step covers.</param>
/// <param name="Coverage">CoveredSeconds over the window's length.</param>
public sealed record LowFrequencyResponse(
    string Resolution,
    string Box,
    int Socket,
    DateTimeOffset From,
    DateTimeOffset To,
    int? StepSeconds,
    IReadOnlyList<int> StepsInWindow,
    double Joules,
    double CoveredSeconds,
    double Coverage,
    IReadOnlyList<LowFrequencyPointResponse> Points)
{
    /// <summary>The one value of <see cref="Resolution"/>.</summary>
    public const string LowFrequency = "low_frequency";
}
