namespace Fleet.AgentHost.Components;

/// <summary>How the runner samples GPU power through nvidia-smi when NVML's energy counter is not there.</summary>
public sealed record NvidiaSmiOptions
{
    /// <summary>The sampling period passed as <c>-lms</c>; 100 ms catches the spikes a 1 s meter averages away.</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The PATH searched for nvidia-smi and given to it; null is the runner's own PATH.</summary>
    public string? SearchPath { get; init; }

    /// <summary>How long the one-shot probe and the first samples may take (nvidia-smi starts slowly on a cold driver).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
