using System.Globalization;
using System.Text;
using Fleet.OmegaWatt.Csv;

namespace Fleet.OmegaWatt.Tests.Csv;

/// <summary>
/// The CSV must stay byte for byte what float.TryFormat wrote before: every float checked here
/// is compared with it. (All 2^32 bit patterns were compared once, outside the suite.)
/// </summary>
public sealed class ShortestSingleFormatterTests
{
    [Theory]
    [InlineData(0f, "0")]
    [InlineData(-0f, "-0")]
    [InlineData(1f, "1")]
    [InlineData(-60f, "-60")]
    [InlineData(229.7953f, "229.7953")]
    [InlineData(0.0001f, "0.0001")]
    [InlineData(0.00001f, "1E-05")]
    [InlineData(123456790f, "123456790")]
    [InlineData(1e9f, "1E+09")]
    [InlineData(1.234568e9f, "1.234568E+09")]
    [InlineData(float.MaxValue, "3.4028235E+38")]
    [InlineData(float.Epsilon, "1E-45")]
    [InlineData(-1.1754942E-38f, "-1.1754942E-38")]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void Format_KnownValue_WritesDotNetText(float value, string expected)
    {
        Assert.Equal(expected, Formatted(value));
        Assert.Equal(expected, DotNet(value));
    }

    [Fact]
    public void Format_SampleOfEveryExponentAndSign_MatchesFloatTryFormat()
    {
        var random = new Random(2026);
        var mismatches = new List<string>();
        for (uint exponent = 0; exponent < 256; exponent++)
        {
            for (var k = 0; k < 2000; k++)
            {
                // Both ends of the mantissa range, then random ones.
                var mantissa = k switch
                {
                    0 => 0u,
                    1 => 1u,
                    2 => 0x7FFFFFu,
                    _ => (uint)random.Next(1 << 23),
                };
                var sign = (uint)(k & 1) << 31;
                var value = BitConverter.UInt32BitsToSingle(sign | (exponent << 23) | mantissa);
                if (Formatted(value) != DotNet(value))
                {
                    mismatches.Add($"{BitConverter.SingleToUInt32Bits(value):X8}: {Formatted(value)} vs {DotNet(value)}");
                }
            }
        }

        Assert.Empty(mismatches);
    }

    [Fact]
    public void Format_EveryFloatNearPowersOfTen_MatchesFloatTryFormat()
    {
        // Where the layout switches between plain and E notation, and where digits carry.
        var mismatches = new List<string>();
        for (var power = -46; power <= 39; power++)
        {
            var bits = BitConverter.SingleToUInt32Bits((float)Math.Pow(10, power));
            for (var delta = -300; delta <= 300; delta++)
            {
                var value = BitConverter.UInt32BitsToSingle((uint)((int)bits + delta));
                if (Formatted(value) != DotNet(value))
                {
                    mismatches.Add($"{BitConverter.SingleToUInt32Bits(value):X8}: {Formatted(value)} vs {DotNet(value)}");
                }
            }
        }

        Assert.Empty(mismatches);
    }

    [Fact]
    public void Format_DestinationShorterThanMaxLength_StillWritesTheText()
    {
        Span<byte> destination = stackalloc byte[5];

        var written = ShortestSingleFormatter.Format(0.25f, destination);

        Assert.Equal("0.25", Encoding.ASCII.GetString(destination[..written]));
    }

    private static string Formatted(float value)
    {
        Span<byte> destination = stackalloc byte[ShortestSingleFormatter.MaxLength];
        var written = ShortestSingleFormatter.Format(value, destination);
        return Encoding.ASCII.GetString(destination[..written]);
    }

    private static string DotNet(float value)
    {
        Span<byte> destination = stackalloc byte[64];
        Assert.True(value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture));
        return Encoding.ASCII.GetString(destination[..written]);
    }
}
