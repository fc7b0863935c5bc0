using Fleet.OmegaWatt.Protocol;

namespace Fleet.OmegaWatt.Tests.Protocol;

public sealed class FrameLayoutTests
{
    [Fact]
    public void FramePeriod_EveryFormSaysTenMilliseconds()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(10), FrameLayout.FramePeriod);
        Assert.Equal(0.01, FrameLayout.FramePeriodSeconds);
        Assert.Equal(10_000_000, FrameLayout.FramePeriodNanoseconds);
        Assert.Equal(100, FrameLayout.FramesPerSecond);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(48, true)]
    [InlineData(49, false)]
    public void IsValidSocket_OneToMaxPlugs(int socket, bool valid)
    {
        Assert.Equal(valid, FrameLayout.IsValidSocket(socket));
    }
}
