namespace Fleet.Benchmarks.Spooling;

/// <summary>The spools measured: the baseline, the agent's, the alternative weighed.</summary>
public enum SpoolKind
{
    Legacy,
    Indexed,
    FasterLog,
}
