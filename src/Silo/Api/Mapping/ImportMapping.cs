using Fleet.Api.Contracts.Importing;
using Fleet.Storage.LowFrequency;
using GrainOutcome = Fleet.Grains.Abstractions.Messages.IngestOutcome;
using GrainResult = Fleet.Grains.Abstractions.Messages.IngestResult;

namespace Fleet.Silo.Api.Mapping;

/// <summary>What imports did, and low-frequency history read back, as the API serves them.</summary>
internal static class ImportMapping
{
    public static IngestOutcome ToResponse(this GrainOutcome outcome) => outcome switch
    {
        GrainOutcome.Stored => IngestOutcome.Stored,
        GrainOutcome.Duplicate => IngestOutcome.Duplicate,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "an ingest outcome the API does not know"),
    };

    public static FramesImportResponse ToResponse(this GrainResult result, int frames)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new FramesImportResponse(result.Outcome.ToResponse(), frames, result.FramesStored, result.FramesAlreadyStored);
    }

    public static LowFrequencyImportResponse ToResponse(this LowFrequencyUpsert upsert, int rows)
    {
        ArgumentNullException.ThrowIfNull(upsert);
        return new LowFrequencyImportResponse(rows, upsert.Inserted, upsert.Updated, upsert.Unchanged);
    }

    public static LowFrequencyResponse ToResponse(this LowFrequencyWindow window, string box, int socket, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<int> steps)
    {
        ArgumentNullException.ThrowIfNull(window);
        return new LowFrequencyResponse(
            LowFrequencyResponse.LowFrequency,
            box,
            socket,
            from,
            to,
            window.StepSeconds == 0 ? null : window.StepSeconds,
            steps,
            window.Joules,
            window.CoveredSeconds,
            window.CoveredSeconds / (to - from).TotalSeconds,
            [.. window.Points.Select(p => new LowFrequencyPointResponse(p.At, p.MeanWatts))]);
    }
}
