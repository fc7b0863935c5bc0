namespace Fleet.Grains;

/// <summary>Names every host must register identically for the grains to find their providers.</summary>
public static class FleetStorage
{
    /// <summary>The grain storage provider for machine and experiment state (AdoNet on PostgreSQL in production).</summary>
    public const string Name = "fleet";
}
