namespace Fleet.Silo.Hosting;

/// <summary>A request parameter is malformed (bad time, from after to, bad socket): 400.</summary>
public sealed class ApiBadRequestException : Exception
{
    public ApiBadRequestException()
    {
    }

    public ApiBadRequestException(string message)
        : base(message)
    {
    }

    public ApiBadRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
