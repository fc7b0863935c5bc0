namespace Fleet.OmegaWatt.Csv;

/// <summary>A stream switched plug count mid-way, so its rows no longer fit the CSV header written for it.</summary>
public sealed class PlugCountChangedException : Exception
{
    public PlugCountChangedException(int expectedPlugs, int actualPlugs, int frameId)
        : base($"plug count changed from {expectedPlugs} to {actualPlugs} at frame id {frameId}; a CSV file holds one plug count")
    {
        ExpectedPlugs = expectedPlugs;
        ActualPlugs = actualPlugs;
    }

    public PlugCountChangedException()
    {
    }

    public PlugCountChangedException(string message)
        : base(message)
    {
    }

    public PlugCountChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int ExpectedPlugs { get; }

    public int ActualPlugs { get; }
}
