namespace Fleet.Grains.Abstractions.Messages.Runs;

[GenerateSerializer, Alias("fleet.LogSource")]
public enum LogSource
{
    Stdout = 0,
    Stderr = 1,
}
