using System.ComponentModel;

namespace Fleet.Api.Contracts.Runs;

/// <summary>One line a command printed on one machine.</summary>
public sealed record LogLineResponse(
    [property: Description("Orders lines across machines; pass the last one as 'after' to read on.")] long Id,
    string Machine,
    [property: Description("The line's number on its machine, from 1.")] long Sequence,
    DateTimeOffset At,
    [property: Description("\"stdout\" or \"stderr\".")] string Source,
    string Text);
