using Fleet.Api.Contracts.Energy;
using Fleet.Storage.Energy;

namespace Fleet.Silo.Api.Mapping;

/// <summary>Storage's energy over a window as the API serves it.</summary>
internal static class EnergyMapping
{
    public static EnergyResponse ToResponse(this SocketEnergy energy, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(energy);
        return new EnergyResponse(energy.Joules, energy.Coverage, energy.Frames, energy.FramesExpected, energy.MeanWatts, energy.PeakWatts, energy.InterpolatedJoules, from, to);
    }
}
