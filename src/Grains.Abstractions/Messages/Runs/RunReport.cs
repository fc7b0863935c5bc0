namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>
/// What a runner sends about one job, as often as it has something new and again after a lost
/// connection: new log lines, marks printed as <c>FLEET_MARK name</c>, component counters,
/// activity, and at last the outcome. Everything in it is idempotent (sequence numbers, times),
/// so a report sent twice stores once.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.RunReport")]
public sealed record RunReport(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string JobId,
    [property: Id(2)] IReadOnlyList<LogLine> Logs,
    [property: Id(3)] IReadOnlyList<PhaseMark> Marks,
    [property: Id(4)] IReadOnlyList<ComponentSample> Components,
    [property: Id(5)] IReadOnlyList<ActivitySample> Activity,
    [property: Id(6)] RunOutcome? Outcome = null,
    [property: Id(7)] DateTimeOffset? StartedAt = null);
