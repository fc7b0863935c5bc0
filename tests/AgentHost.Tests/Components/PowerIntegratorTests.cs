using Fleet.AgentHost.Components;

namespace Fleet.AgentHost.Tests.Components;

public sealed class PowerIntegratorTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(5);

    [Fact]
    public void Add_TwoGpusUnevenTimes_EachPowerHeldUntilItsNextSampleSummed()
    {
        var integrator = new PowerIntegrator(Hold);

        // GPU 0: 100 W held 0.5 s = 50 J, then 200 W held 0.25 s = 50 J.
        integrator.Add(0, TimeSpan.FromSeconds(1.0), 100);
        integrator.Add(1, TimeSpan.FromSeconds(1.1), 50);
        integrator.Add(0, TimeSpan.FromSeconds(1.5), 200);
        // GPU 1: 50 W held 0.9 s = 45 J.
        integrator.Add(1, TimeSpan.FromSeconds(2.0), 70);
        integrator.Add(0, TimeSpan.FromSeconds(1.75), 200);

        // At 2.0 s GPU 0's 200 W has also been held 0.25 s past its last sample: 50 J more.
        Assert.Equal(50 + 50 + 45 + 50, integrator.JoulesAt(TimeSpan.FromSeconds(2.0)), 9);
        Assert.Equal(2, integrator.Devices);
    }

    [Fact]
    public void Add_FirstSampleOfAGpu_AddsNothing()
    {
        var integrator = new PowerIntegrator(Hold);

        integrator.Add(3, TimeSpan.FromSeconds(10), 300);

        Assert.Equal(0, integrator.JoulesAt(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, integrator.Devices);
    }

    [Fact]
    public void JoulesAt_LateLine_ReadingsCoverUpToTheReadAndNeverGoBackwards()
    {
        var integrator = new PowerIntegrator(Hold);
        integrator.Add(0, TimeSpan.FromSeconds(0), 300);

        // The sampler is starved for 0.8 s: readings still grow at the last power.
        var during = integrator.JoulesAt(TimeSpan.FromSeconds(0.6));
        integrator.Add(0, TimeSpan.FromSeconds(0.8), 40);
        var after = integrator.JoulesAt(TimeSpan.FromSeconds(0.8));
        var later = integrator.JoulesAt(TimeSpan.FromSeconds(0.9));

        Assert.Equal(180, during, 9);
        Assert.Equal(240, after, 9);
        Assert.Equal(244, later, 9);
    }

    [Fact]
    public void JoulesAt_SamplerSilentPastMaxHold_StopsGuessing_TheNextLineAccountsForTheGap()
    {
        var integrator = new PowerIntegrator(TimeSpan.FromSeconds(2));
        integrator.Add(0, TimeSpan.Zero, 100);

        Assert.Equal(200, integrator.JoulesAt(TimeSpan.FromSeconds(60)), 9);
        integrator.Add(0, TimeSpan.FromSeconds(60), 100);
        Assert.Equal(6_000, integrator.JoulesAt(TimeSpan.FromSeconds(60)), 9);
    }
}
