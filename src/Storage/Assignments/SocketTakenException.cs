namespace Fleet.Storage.Assignments;

/// <summary>The socket already belongs to another machine during part of the requested time.</summary>
public sealed class SocketTakenException : Exception
{
    public SocketTakenException()
    {
    }

    public SocketTakenException(string message)
        : base(message)
    {
    }

    public SocketTakenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
