namespace Fleet.Grains.Abstractions;

/// <summary>
/// A client of the cluster (an agent through a gateway) called a grain method that is not meant
/// for clients: management, machines, experiments. Those are reached through the silos' HTTP API,
/// with its roles and audit; clients may only push frames and their health to meters.
/// </summary>
[GenerateSerializer, Alias("fleet.ClientCallRefusedException")]
public sealed class ClientCallRefusedException : Exception
{
    public ClientCallRefusedException()
    {
    }

    public ClientCallRefusedException(string message)
        : base(message)
    {
    }

    public ClientCallRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
