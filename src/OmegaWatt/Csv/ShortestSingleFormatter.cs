using System.Globalization;
using System.Runtime.CompilerServices;

namespace Fleet.OmegaWatt.Csv;

/// <summary>
/// Writes a float as the same UTF-8 text as <c>float.TryFormat(utf8, out _, default, InvariantCulture)</c>
/// (the shortest text that parses back to the same float, "G" layout), about three times faster.
/// </summary>
/// <remarks>
/// A decode writes 15 floats a frame and .NET's formatter (Grisu3, Dragon4 when Grisu3 gives up,
/// then a general number layout) was most of its time. The digits come from Ulf Adams' Ryu
/// (PLDI 2018, f2s: the shortest digits in the rounding interval, nearest to the value, ties to
/// even); the layout is .NET's "G" for a float: plain notation when the decimal point falls
/// between 3 places before the first digit and 9 places after it, else d.dddE±XX. Checked
/// against float.TryFormat over every one of the 2^32 bit patterns once, and over a sample of
/// every exponent in the tests. NaN and the infinities go through float.TryFormat.
/// </remarks>
internal static class ShortestSingleFormatter
{
    /// <summary>Longest output: <c>-1.1754942E-38</c> is 14 bytes.</summary>
    public const int MaxLength = 16;

    private const int MantissaBits = 23;
    private const int ExponentBias = 127;
    private const int Pow5InverseBitCount = 59;
    private const int Pow5BitCount = 61;

    // Ryu's tables for floats: floor(2^(bits(5^i) - 1 + 59) / 5^i) + 1 for i < 31, and the top
    // 61 bits of 5^i for i < 48 (one past the largest index f2s reaches). Made with Python:
    //   [(1 << (5**i).bit_length() - 1 + 59) // 5**i + 1 for i in range(31)]
    //   [5**i >> (5**i).bit_length() - 61 if (5**i).bit_length() >= 61 else 5**i << 61 - (5**i).bit_length() for i in range(48)]
    private static ReadOnlySpan<ulong> Pow5InverseSplit =>
    [
        576460752303423489UL, 461168601842738791UL, 368934881474191033UL,
        295147905179352826UL, 472236648286964522UL, 377789318629571618UL,
        302231454903657294UL, 483570327845851670UL, 386856262276681336UL,
        309485009821345069UL, 495176015714152110UL, 396140812571321688UL,
        316912650057057351UL, 507060240091291761UL, 405648192073033409UL,
        324518553658426727UL, 519229685853482763UL, 415383748682786211UL,
        332306998946228969UL, 531691198313966350UL, 425352958651173080UL,
        340282366920938464UL, 544451787073501542UL, 435561429658801234UL,
        348449143727040987UL, 557518629963265579UL, 446014903970612463UL,
        356811923176489971UL, 570899077082383953UL, 456719261665907162UL,
        365375409332725730UL,
    ];

    private static ReadOnlySpan<ulong> Pow5Split =>
    [
        1152921504606846976UL, 1441151880758558720UL, 1801439850948198400UL,
        2251799813685248000UL, 1407374883553280000UL, 1759218604441600000UL,
        2199023255552000000UL, 1374389534720000000UL, 1717986918400000000UL,
        2147483648000000000UL, 1342177280000000000UL, 1677721600000000000UL,
        2097152000000000000UL, 1310720000000000000UL, 1638400000000000000UL,
        2048000000000000000UL, 1280000000000000000UL, 1600000000000000000UL,
        2000000000000000000UL, 1250000000000000000UL, 1562500000000000000UL,
        1953125000000000000UL, 1220703125000000000UL, 1525878906250000000UL,
        1907348632812500000UL, 1192092895507812500UL, 1490116119384765625UL,
        1862645149230957031UL, 1164153218269348144UL, 1455191522836685180UL,
        1818989403545856475UL, 2273736754432320594UL, 1421085471520200371UL,
        1776356839400250464UL, 2220446049250313080UL, 1387778780781445675UL,
        1734723475976807094UL, 2168404344971008868UL, 1355252715606880542UL,
        1694065894508600678UL, 2117582368135750847UL, 1323488980084844279UL,
        1654361225106055349UL, 2067951531382569187UL, 1292469707114105741UL,
        1615587133892632177UL, 2019483917365790221UL, 1262177448353618888UL,
    ];

    private static ReadOnlySpan<byte> DigitPairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    private static ReadOnlySpan<uint> Pow10 => [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];

    /// <summary>Formats <paramref name="value"/> into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes); returns the bytes written.</summary>
    // Hot: runs per value or per frame. Jitted optimized at once, instead of running unoptimized
    // code for the first few hundred milliseconds of a decode (fleet decode exits in about a second).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Format(float value, Span<byte> destination)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        var ieeeMantissa = bits & ((1u << MantissaBits) - 1);
        var ieeeExponent = (bits >> MantissaBits) & 0xFF;
        if (ieeeExponent == 0xFF || destination.Length < MaxLength)
        {
            return FormatRare(value, destination);
        }

        var position = 0;
        if ((bits >> 31) != 0)
        {
            destination[position++] = (byte)'-';
        }

        if (ieeeExponent == 0 && ieeeMantissa == 0)
        {
            destination[position++] = (byte)'0';
            return position;
        }

        var (digits, exponent) = ShortestDecimal(ieeeMantissa, ieeeExponent);
        while (digits % 10 == 0)
        {
            digits /= 10;
            exponent++;
        }

        return position + Layout(digits, exponent, destination[position..]);
    }

    /// <summary>NaN, the infinities and short destinations; kept out of line, where its stack buffers do not slow every call.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int FormatRare(float value, Span<byte> destination)
    {
        value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }

    /// <summary>Places the digits as .NET's "G" does for a float (at most 9 significant digits before switching to E).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Layout(uint digits, int exponent, Span<byte> destination)
    {
        var length = DecimalLength(digits);

        // The decimal point sits `scale` digits after the start of the digits.
        var scale = exponent + length;
        if (scale > 9 || scale < -3)
        {
            // d.ddd: the digits one place right, then the first moved back over the point.
            WriteDigits(digits, destination.Slice(1, length));
            var position = 1;
            if (length > 1)
            {
                destination[0] = destination[1];
                destination[1] = (byte)'.';
                position = length + 1;
            }
            else
            {
                destination[0] = destination[1];
            }

            var power = scale - 1;
            destination[position] = (byte)'E';
            destination[position + 1] = power < 0 ? (byte)'-' : (byte)'+';
            power = Math.Abs(power);
            destination[position + 2] = (byte)('0' + (power / 10));
            destination[position + 3] = (byte)('0' + (power % 10));
            return position + 4;
        }

        if (scale <= 0)
        {
            destination[0] = (byte)'0';
            destination[1] = (byte)'.';
            var zeros = -scale;
            destination.Slice(2, zeros).Fill((byte)'0');
            WriteDigits(digits, destination.Slice(2 + zeros, length));
            return 2 + zeros + length;
        }

        if (scale >= length)
        {
            WriteDigits(digits, destination[..length]);
            destination[length..scale].Fill((byte)'0');
            return scale;
        }

        var fractionLength = length - scale;
        var unit = Pow10[fractionLength];
        WriteDigits(digits / unit, destination[..scale]);
        destination[scale] = (byte)'.';
        WriteDigits(digits % unit, destination.Slice(scale + 1, fractionLength));
        return length + 1;
    }

    /// <summary>Writes exactly destination.Length digits of <paramref name="value"/>, leading zeros included, two at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteDigits(uint value, Span<byte> destination)
    {
        var k = destination.Length;
        var pairs = DigitPairs;
        while (k >= 2)
        {
            var next = value / 100;
            var pair = (int)(value - (next * 100)) * 2;
            destination[k - 1] = pairs[pair + 1];
            destination[k - 2] = pairs[pair];
            value = next;
            k -= 2;
        }

        if (k == 1)
        {
            destination[0] = (byte)('0' + (value % 10));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DecimalLength(uint value) =>
        value >= 100000000 ? 9
        : value >= 10000000 ? 8
        : value >= 1000000 ? 7
        : value >= 100000 ? 6
        : value >= 10000 ? 5
        : value >= 1000 ? 4
        : value >= 100 ? 3
        : value >= 10 ? 2
        : 1;

    /// <summary>Ryu's f2d: the shortest decimal digits and power of ten of a finite, nonzero float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (uint Digits, int Exponent) ShortestDecimal(uint ieeeMantissa, uint ieeeExponent)
    {
        int e2;
        uint m2;
        if (ieeeExponent == 0)
        {
            e2 = 1 - ExponentBias - MantissaBits - 2;
            m2 = ieeeMantissa;
        }
        else
        {
            e2 = (int)ieeeExponent - ExponentBias - MantissaBits - 2;
            m2 = (1u << MantissaBits) | ieeeMantissa;
        }

        var acceptBounds = (m2 & 1) == 0;

        // The interval of decimals that round to this float: [mm, mp] around mv, all × 2^e2.
        var mv = 4 * m2;
        var mp = (4 * m2) + 2;
        var mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1u : 0u;
        var mm = (4 * m2) - 1 - mmShift;

        uint vr, vp, vm;
        int e10;
        var vmIsTrailingZeros = false;
        var vrIsTrailingZeros = false;
        uint lastRemovedDigit = 0;
        if (e2 >= 0)
        {
            var q = Log10Pow2(e2);
            e10 = (int)q;
            var k = Pow5InverseBitCount + Pow5Bits((int)q) - 1;
            var i = -e2 + (int)q + k;
            vr = MulShift32(mv, Pow5InverseSplit[(int)q], i);
            vp = MulShift32(mp, Pow5InverseSplit[(int)q], i);
            vm = MulShift32(mm, Pow5InverseSplit[(int)q], i);
            if (q != 0 && (vp - 1) / 10 <= vm / 10)
            {
                var l = Pow5InverseBitCount + Pow5Bits((int)(q - 1)) - 1;
                lastRemovedDigit = MulShift32(mv, Pow5InverseSplit[(int)q - 1], -e2 + (int)q - 1 + l) % 10;
            }

            if (q <= 9)
            {
                // Only one of mp, mv and mm can be a multiple of 5, if any.
                if (mv % 5 == 0)
                {
                    vrIsTrailingZeros = Pow5Factor(mv) >= q;
                }
                else if (acceptBounds)
                {
                    vmIsTrailingZeros = Pow5Factor(mm) >= q;
                }
                else if (Pow5Factor(mp) >= q)
                {
                    vp--;
                }
            }
        }
        else
        {
            var q = Log10Pow5(-e2);
            e10 = (int)q + e2;
            var i = -e2 - (int)q;
            var k = Pow5Bits(i) - Pow5BitCount;
            var j = (int)q - k;
            vr = MulShift32(mv, Pow5Split[i], j);
            vp = MulShift32(mp, Pow5Split[i], j);
            vm = MulShift32(mm, Pow5Split[i], j);
            if (q != 0 && (vp - 1) / 10 <= vm / 10)
            {
                j = (int)q - 1 - (Pow5Bits(i + 1) - Pow5BitCount);
                lastRemovedDigit = MulShift32(mv, Pow5Split[i + 1], j) % 10;
            }

            if (q <= 1)
            {
                // mv = 4 × m2 has at least two trailing zero bits.
                vrIsTrailingZeros = true;
                if (acceptBounds)
                {
                    vmIsTrailingZeros = mmShift == 1;
                }
                else
                {
                    vp--;
                }
            }
            else if (q < 31)
            {
                vrIsTrailingZeros = (mv & ((1u << ((int)q - 1)) - 1)) == 0;
            }
        }

        var removed = 0;
        uint output;
        if (vmIsTrailingZeros || vrIsTrailingZeros)
        {
            while (vp / 10 > vm / 10)
            {
                vmIsTrailingZeros &= vm % 10 == 0;
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                lastRemovedDigit = vr % 10;
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }

            if (vmIsTrailingZeros)
            {
                while (vm % 10 == 0)
                {
                    vrIsTrailingZeros &= lastRemovedDigit == 0;
                    lastRemovedDigit = vr % 10;
                    vr /= 10;
                    vp /= 10;
                    vm /= 10;
                    removed++;
                }
            }

            if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0)
            {
                // Exactly half way: round to even.
                lastRemovedDigit = 4;
            }

            output = vr + ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1u : 0u);
        }
        else
        {
            // The common case (~96 %).
            while (vp / 10 > vm / 10)
            {
                lastRemovedDigit = vr % 10;
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }

            output = vr + (vr == vm || lastRemovedDigit >= 5 ? 1u : 0u);
        }

        return (output, e10 + removed);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint MulShift32(uint m, ulong factor, int shift)
    {
        var bits0 = (ulong)m * (uint)factor;
        var bits1 = (ulong)m * (uint)(factor >> 32);
        var sum = (bits0 >> 32) + bits1;
        return (uint)(sum >> (shift - 32));
    }

    private static uint Pow5Factor(uint value)
    {
        uint count = 0;
        while (value % 5 == 0)
        {
            value /= 5;
            count++;
        }

        return count;
    }

    /// <summary>ceil(log2(5^e)) for e ≥ 1, 1 for e = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Pow5Bits(int e) => (int)((((uint)e * 1217359) >> 19) + 1);

    /// <summary>floor(log10(2^e)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Log10Pow2(int e) => ((uint)e * 78913) >> 18;

    /// <summary>floor(log10(5^e)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Log10Pow5(int e) => ((uint)e * 732923) >> 20;
}
