using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Api.Contracts.Json;

/// <summary>Enums as the API writes them: <c>"running"</c>, <c>"duplicate"</c>; numbers are refused.</summary>
public sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
