using Fleet.Api.Contracts.Machines;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Storage.Assignments;

namespace Fleet.Silo.Api.Mapping;

/// <summary>Socket assignments, from the machine grain or straight from storage, as the API serves them.</summary>
internal static class MachineMapping
{
    public static AssignmentResponse ToResponse(this Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return new AssignmentResponse(assignment.Machine, assignment.Socket.BoxId, assignment.Socket.Socket, assignment.ValidFrom, assignment.ValidTo);
    }

    public static AssignmentResponse ToResponse(this SocketAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return new AssignmentResponse(assignment.Machine, assignment.BoxId, assignment.Socket, assignment.ValidFrom, assignment.ValidTo);
    }
}
