namespace Fleet.Grains.Abstractions.Messages.Runs;

[GenerateSerializer, Alias("fleet.RunnerJobKind")]
public enum RunnerJobKind
{
    /// <summary>Run an experiment's command (<see cref="RunnerJob.Run"/>).</summary>
    Command = 0,

    /// <summary>Drive a pseudo-random on/off CPU load (<see cref="RunnerJob.Pattern"/>) so the meters can find the machine's sockets.</summary>
    LoadPattern = 1,
}
