namespace Fleet.Storage.LowFrequency;

/// <summary>What an upsert of low-frequency rows did: a re-import of the same file is all <see cref="Unchanged"/>.</summary>
public sealed record LowFrequencyUpsert(long Inserted, long Updated, long Unchanged);
