namespace Fleet.Grains.Abstractions;

/// <summary>
/// A batch that can never be stored as it is: malformed, over a limit (frames per batch or per
/// second, plug count, time range) or with impossible values. Permanent: an agent quarantines
/// it and goes on with the next batch; the HTTP API answers 400. The message names the limit.
/// </summary>
[GenerateSerializer, Alias("fleet.InvalidBatchException")]
public sealed class InvalidBatchException : Exception
{
    public InvalidBatchException()
    {
    }

    public InvalidBatchException(string message)
        : base(message)
    {
    }

    public InvalidBatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
