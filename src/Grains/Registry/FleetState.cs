namespace Fleet.Grains.Registry;

/// <summary>The registry's persisted state. Id 0 held boxes once (they are listed from SQL now); the serializer skips it in old state.</summary>
[GenerateSerializer, Alias("fleet.FleetState")]
public sealed class FleetState
{
    [Id(1)]
    public List<string> RecentExperiments { get; set; } = [];
}
