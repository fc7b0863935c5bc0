using Orleans.Runtime;

namespace Fleet.Storage.Tests.Orleans;

public sealed class ProbeGrain : Grain, IProbeGrain
{
    private readonly Guid _activation = Guid.NewGuid();
    private readonly ILocalSiloDetails _silo;

    public ProbeGrain(ILocalSiloDetails silo) => _silo = silo;

    public Task<ProbeReply> WhereAsync() => Task.FromResult(new ProbeReply(_silo.SiloAddress.ToString(), _activation));
}
