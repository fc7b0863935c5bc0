namespace Fleet.Silo.Hosting;

/// <summary>The box, machine or experiment named in the request does not exist: 404.</summary>
public sealed class ApiNotFoundException : Exception
{
    public ApiNotFoundException()
    {
    }

    public ApiNotFoundException(string message)
        : base(message)
    {
    }

    public ApiNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
