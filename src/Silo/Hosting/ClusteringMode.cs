namespace Fleet.Silo.Hosting;

public enum ClusteringMode
{
    /// <summary>One silo, membership in memory: a laptop or a single lab server.</summary>
    Localhost,

    /// <summary>Membership, grain state and reminders in PostgreSQL: several silos, failover.</summary>
    AdoNet,
}
