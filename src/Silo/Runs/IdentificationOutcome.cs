using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Silo.Runs;

/// <summary>One identification of a machine's sockets: the pattern its runner drove, over which window, what the meters showed, and whether it was recorded.</summary>
public sealed record IdentificationOutcome(
    string Machine,
    LoadPattern Pattern,
    DateTimeOffset From,
    DateTimeOffset To,
    SocketIdentification Result,
    bool Applied);
