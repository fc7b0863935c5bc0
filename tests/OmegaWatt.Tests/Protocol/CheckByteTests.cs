using Fleet.OmegaWatt.Protocol;

namespace Fleet.OmegaWatt.Tests.Protocol;

public sealed class CheckByteTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(72)]
    [InlineData(312)]
    public void Compute_AnyLength_EqualsBytewiseXor(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var expected = (byte)0;
        foreach (var b in bytes)
        {
            expected ^= b;
        }

        Assert.Equal(expected, CheckByte.Compute(bytes));
    }
}
