namespace Fleet.Grains.Abstractions;

/// <summary>
/// A request Fleet refuses for a reason the caller can fix (wrong state, machine leased, socket
/// taken, plug count changed): the message says why. The HTTP API turns it into a 4xx.
/// </summary>
[GenerateSerializer, Alias("fleet.RequestRejectedException")]
public sealed class RequestRejectedException : Exception
{
    public RequestRejectedException()
    {
    }

    public RequestRejectedException(string message)
        : base(message)
    {
    }

    public RequestRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
