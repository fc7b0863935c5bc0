using Fleet.Api.Contracts.Boxes;
using Fleet.Api.Contracts.Experiments;
using Fleet.Api.Contracts.Machines;
using Fleet.Api.Contracts.Silos;

namespace Fleet.Cli.Reports;

/// <summary><c>fleet status --json</c>: the silos, boxes, current assignments and recent experiments, as the silo serves them.</summary>
internal sealed record StatusReport(
    IReadOnlyList<SiloResponse> Silos,
    IReadOnlyList<BoxResponse> Boxes,
    IReadOnlyList<AssignmentResponse> Machines,
    IReadOnlyList<ExperimentResponse> Experiments);
