namespace Fleet.Grains.Abstractions;

/// <summary>
/// PostgreSQL could not be reached or refused the write. Nothing was stored; the caller keeps
/// its data and retries (agents keep spooling). Carries the database's message, since its own
/// exception types do not cross the cluster.
/// </summary>
[GenerateSerializer, Alias("fleet.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
