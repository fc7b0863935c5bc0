namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>One line a command printed, numbered per machine and run from 1 (so a resent report stores it once), at cluster time.</summary>
[GenerateSerializer, Immutable, Alias("fleet.LogLine")]
public sealed record LogLine(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] LogSource Source,
    [property: Id(3)] string Text);
