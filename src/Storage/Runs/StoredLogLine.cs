namespace Fleet.Storage.Runs;

/// <summary>A stored line of a command's output; <paramref name="Id"/> orders lines across machines (the cursor of a follow).</summary>
public sealed record StoredLogLine(long Id, string Machine, long Sequence, DateTimeOffset At, string Source, string Line);
