using Fleet.Grains.Abstractions.Messages;

namespace Fleet.Grains.Abstractions;

/// <summary>
/// The fleet's registry, a single grain (key 0): which boxes exist and who feeds them, and the
/// most recent experiments, for listings without a database scan. Full history stays in SQL.
/// </summary>
public interface IFleetGrain : IGrainWithIntegerKey
{
    /// <summary>Called by a meter when it activates and when its agent changes.</summary>
    ValueTask RegisterBoxAsync(BoxInfo box);

    ValueTask<IReadOnlyList<BoxInfo>> ListBoxesAsync();

    ValueTask RegisterExperimentAsync(string experimentId);

    /// <summary>The newest experiment ids first, at most <paramref name="count"/>.</summary>
    ValueTask<IReadOnlyList<string>> ListRecentExperimentsAsync(int count);
}
