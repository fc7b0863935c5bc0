namespace Fleet.OmegaWatt.Csv;

/// <summary>The file is not a vendor CSV log at all (its header is missing or not understood).</summary>
public sealed class VendorCsvFormatException : Exception
{
    public VendorCsvFormatException()
    {
    }

    public VendorCsvFormatException(string message)
        : base(message)
    {
    }

    public VendorCsvFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
