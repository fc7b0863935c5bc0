using System.ComponentModel.DataAnnotations;

namespace Fleet.Grains.Meters;

/// <summary>How meters arbitrate between agents (configuration section <c>Fleet:Meters</c>).</summary>
public sealed class MeterOptions
{
    public const string Section = "Fleet:Meters";

    /// <summary>
    /// How long the agent feeding a box must have been silent before another agent may take the
    /// box over (a box moved to another USB host). Until then a second agent is refused.
    /// </summary>
    [Range(1, 86_400)]
    public int WriterTakeoverSeconds { get; set; } = 60;

    public TimeSpan WriterTakeover => TimeSpan.FromSeconds(WriterTakeoverSeconds);
}
