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

    /// <summary>
    /// How long a reading carries a GPU's last power past its last line. A starved nvidia-smi
    /// prints late, and holding its power keeps a reading at a phase's end from missing the
    /// lag; a sampler silent for longer than this is hung, and is not guessed further.
    /// </summary>
    public TimeSpan MaxHold { get; init; } = TimeSpan.FromSeconds(5);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
