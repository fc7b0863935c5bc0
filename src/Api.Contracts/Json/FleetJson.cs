using System.Text.Json;

namespace Fleet.Api.Contracts.Json;

/// <summary>The contract's serializer settings, for hosts that bring their own options (ASP.NET Core's).</summary>
public static class FleetJson
{
    /// <summary>
    /// Makes <paramref name="options"/> read and write the contract as <see cref="FleetJsonContext"/>
    /// does: snake_case, UTC times, and the generated metadata consulted first.
    /// </summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Converters.Add(new UtcTimeConverter());
        options.TypeInfoResolverChain.Insert(0, FleetJsonContext.Default);
    }
}
