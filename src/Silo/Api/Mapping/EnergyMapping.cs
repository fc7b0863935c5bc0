using Fleet.Api.Contracts.Energy;
using Fleet.Storage.Energy;

namespace Fleet.Silo.Api.Mapping;

/// <summary>Storage's energy over a window as the API serves it.</summary>
internal static class EnergyMapping
{
    public static EnergyResponse ToResponse(this WindowEnergy energy)
    {
        ArgumentNullException.ThrowIfNull(energy);
        return new EnergyResponse(
            energy.Joules,
            energy.Coverage,
            energy.Frames,
            energy.FramesExpected,
            energy.MeanWatts,
            energy.PeakWatts,
            energy.InterpolatedJoules,
            energy.From,
            energy.To,
            energy.CoveredFrom,
            energy.CoveredTo,
            energy.CoveredSeconds,
            energy.FramesInterpolated,
            [.. energy.Sockets.Select(ToResponse)],
            energy.FromRollupsOnly);
    }

    private static SocketEnergyResponse ToResponse(SocketEnergy socket)
    {
        var alone = new WindowEnergy(socket.From, socket.To, [socket]);
        return new SocketEnergyResponse(
            socket.BoxId, socket.Socket, socket.From, socket.To, socket.Joules, socket.Frames, socket.FramesExpected, alone.Coverage, alone.MeanWatts, socket.CoveredFrom, socket.CoveredTo);
    }
}
