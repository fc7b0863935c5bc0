using System.ComponentModel;

namespace Fleet.Api.Contracts.Runs;

/// <summary>
/// One identification of a machine's sockets: the pattern its runner drove (seed, slots of
/// slot_seconds) over [from, to), every candidate best first, and the socket(s) proposed, or
/// why none is (refusal); applied when the proposal was assigned.
/// </summary>
public sealed record IdentifyResponse(
    string Machine,
    int Seed,
    int Slots,
    double SlotSeconds,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<SocketCandidateResponse> Candidates,
    IReadOnlyList<ProposedSocketResponse> Proposed,
    [property: Description("Why no socket is proposed; null with a proposal.")] string? Refusal,
    bool Applied);
