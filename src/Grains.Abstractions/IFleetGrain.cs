namespace Fleet.Grains.Abstractions;

/// <summary>
/// The fleet's registry, a single grain (key 0): the most recent experiments, for listings
/// without a database scan. Full history stays in SQL; boxes are listed from SQL too.
/// </summary>
public interface IFleetGrain : IGrainWithIntegerKey
{
    ValueTask RegisterExperimentAsync(string experimentId);

    /// <summary>The newest experiment ids first, at most <paramref name="count"/>.</summary>
    ValueTask<IReadOnlyList<string>> ListRecentExperimentsAsync(int count);
}
