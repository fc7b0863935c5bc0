namespace Fleet.Storage.Tests.Orleans;

/// <summary>Reports its silo, so a test can see a grain move when its silo leaves.</summary>
[Alias("fleet.tests.IProbeGrain")]
public interface IProbeGrain : IGrainWithStringKey
{
    [Alias("WhereAsync")]
    Task<ProbeReply> WhereAsync();
}
