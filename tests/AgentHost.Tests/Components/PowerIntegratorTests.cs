using Fleet.AgentHost.Components;

namespace Fleet.AgentHost.Tests.Components;

public sealed class PowerIntegratorTests
{
    [Fact]
    public void Add_TwoGpusUnevenTimes_TrapezoidPerGpuSummed()
    {
        var integrator = new PowerIntegrator();

        // GPU 0: 100 W → 200 W over 0.5 s = 75 J, then 200 W → 200 W over 0.25 s = 50 J.
        integrator.Add(0, TimeSpan.FromSeconds(1.0), 100);
        integrator.Add(1, TimeSpan.FromSeconds(1.1), 50);
        integrator.Add(0, TimeSpan.FromSeconds(1.5), 200);
        // GPU 1: 50 W → 70 W over 0.9 s = 54 J.
        integrator.Add(1, TimeSpan.FromSeconds(2.0), 70);
        integrator.Add(0, TimeSpan.FromSeconds(1.75), 200);

        Assert.Equal(75 + 50 + 54, integrator.Joules, 9);
        Assert.Equal(2, integrator.Devices);
    }

    [Fact]
    public void Add_FirstSampleOfAGpu_AddsNothing()
    {
        var integrator = new PowerIntegrator();

        integrator.Add(3, TimeSpan.FromSeconds(10), 300);

        Assert.Equal(0, integrator.Joules);
        Assert.Equal(1, integrator.Devices);
    }
}
