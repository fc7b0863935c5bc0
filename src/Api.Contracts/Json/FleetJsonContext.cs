using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Api.Contracts.Agents;
using Fleet.Api.Contracts.Audit;
using Fleet.Api.Contracts.Boxes;
using Fleet.Api.Contracts.Energy;
using Fleet.Api.Contracts.Errors;
using Fleet.Api.Contracts.Experiments;
using Fleet.Api.Contracts.Importing;
using Fleet.Api.Contracts.Live;
using Fleet.Api.Contracts.Machines;
using Fleet.Api.Contracts.Runs;
using Fleet.Api.Contracts.Series;
using Fleet.Api.Contracts.Silos;
using Fleet.Api.Contracts.Tokens;

namespace Fleet.Api.Contracts.Json;

/// <summary>
/// The contract's JSON, generated at compile time: snake_case names, times through
/// <see cref="UtcTimeConverter"/>. Every type the API sends or receives is listed here.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, Converters = [typeof(UtcTimeConverter)])]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(BoxResponse))]
[JsonSerializable(typeof(BoxResponse[]))]
[JsonSerializable(typeof(LiveSecondResponse[]))]
[JsonSerializable(typeof(AssignmentResponse[]))]
[JsonSerializable(typeof(SocketWindowResponse[]))]
[JsonSerializable(typeof(AssignSocketsRequest))]
[JsonSerializable(typeof(CreateExperimentRequest))]
[JsonSerializable(typeof(StartExperimentRequest))]
[JsonSerializable(typeof(StopExperimentRequest))]
[JsonSerializable(typeof(MarkRequest))]
[JsonSerializable(typeof(ExperimentResponse))]
[JsonSerializable(typeof(ExperimentResponse[]))]
[JsonSerializable(typeof(EnergyResponse))]
[JsonSerializable(typeof(SeriesResponse))]
[JsonSerializable(typeof(SiloResponse[]))]
[JsonSerializable(typeof(GatewayResponse[]))]
[JsonSerializable(typeof(FramesImportRequest))]
[JsonSerializable(typeof(FramesImportResponse))]
[JsonSerializable(typeof(LowFrequencyImportRequest))]
[JsonSerializable(typeof(LowFrequencyImportResponse))]
[JsonSerializable(typeof(LowFrequencyResponse))]
[JsonSerializable(typeof(LiveResponse))]
[JsonSerializable(typeof(CreateTokenRequest))]
[JsonSerializable(typeof(CreatedTokenResponse))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(TokenResponse[]))]
[JsonSerializable(typeof(EnrolmentRequest))]
[JsonSerializable(typeof(EnrolmentResponse[]))]
[JsonSerializable(typeof(AuditEntryResponse[]))]
[JsonSerializable(typeof(SubmitRequest))]
[JsonSerializable(typeof(QueueResponse))]
[JsonSerializable(typeof(LogsResponse))]
[JsonSerializable(typeof(RunnerResponse[]))]
[JsonSerializable(typeof(IdentifyRequest))]
[JsonSerializable(typeof(IdentifyResponse))]
public sealed partial class FleetJsonContext : JsonSerializerContext;
