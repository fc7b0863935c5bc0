namespace Fleet.Api.Contracts.Importing;

/// <summary>What the upsert of low-frequency rows did: a re-import of the same file is all <c>Unchanged</c>.</summary>
public sealed record LowFrequencyImportResponse(int Rows, long Inserted, long Updated, long Unchanged);
