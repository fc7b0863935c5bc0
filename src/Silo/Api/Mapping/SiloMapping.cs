using Fleet.Api.Contracts.Silos;
using Orleans;

namespace Fleet.Silo.Api.Mapping;

/// <summary>Orleans' membership as the API serves it.</summary>
internal static class SiloMapping
{
    public static SiloResponse ToResponse(this MembershipEntry silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return new SiloResponse(
            silo.SiloName,
            silo.SiloAddress.ToParsableString(),
            silo.HostName,
            silo.Status.ToString().ToLowerInvariant(),
            Utc(silo.StartTime),
            Utc(silo.IAmAliveTime));
    }

    /// <summary>Orleans keeps these in UTC; read back from the membership table their Kind is Unspecified.</summary>
    private static DateTimeOffset Utc(DateTime time) =>
        new(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
