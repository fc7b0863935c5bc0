namespace Fleet.Grains.Abstractions;

/// <summary>The phase names Fleet gives results itself; a mark may not start with '(' so they never clash.</summary>
public static class PhaseNames
{
    /// <summary>The whole experiment.</summary>
    public const string All = "";

    /// <summary>From the start to the first mark, so that the phase rows add up to the whole.</summary>
    public const string Unmarked = "(unmarked)";

    /// <summary>The idle baseline measured before a submitted command starts: outside the experiment's window, so not part of the whole.</summary>
    public const string IdleBaseline = "(idle baseline)";
}
