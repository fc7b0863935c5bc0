namespace Fleet.Grains.Abstractions;

/// <summary>
/// Another agent feeds this box and was heard from within the takeover time: two agents on one
/// box would double its energy. Not the batch's fault, so not permanent: the refused agent keeps
/// spooling and is accepted once the first has been silent for the takeover time (a box moved
/// to another USB host). The message names the first agent's host.
/// </summary>
[GenerateSerializer, Alias("fleet.BoxWriterConflictException")]
public sealed class BoxWriterConflictException : Exception
{
    public BoxWriterConflictException()
    {
    }

    public BoxWriterConflictException(string message)
        : base(message)
    {
    }

    public BoxWriterConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
