using Fleet.Grains.Abstractions.Messages;

namespace Fleet.Grains.Registry;

[GenerateSerializer, Alias("fleet.FleetState")]
public sealed class FleetState
{
    [Id(0)]
    public Dictionary<string, BoxInfo> Boxes { get; set; } = [];

    [Id(1)]
    public List<string> RecentExperiments { get; set; } = [];
}
