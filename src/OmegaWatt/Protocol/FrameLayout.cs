namespace Fleet.OmegaWatt.Protocol;

/// <summary>
/// Byte offsets and sizes of one OmegaWatt high-frequency frame (all little-endian).
/// </summary>
/// <remarks>
/// <code>
///  wire frame                                payload (L bytes)
/// +------+------------------+             +-----------------------------------------+
/// |  0   | sync FE FD FC FB |             |  0 | frame id        u16 (wraps)        |
/// |  4   | L        u16     |             |  2 | delta           u32 (2^-32 s)      |
/// |  6   | payload  L bytes |------------>|  6 | n samples       u32 (0 = no data)  |
/// | 6+L  | check    u8      |             | 10 | Σu² phase 1..3  3 × f32            |
/// +------+------------------+             | 22 | per module of 6 plugs:             |
///   check = XOR of the 2 length bytes     |    |   Σi² plug 1..6  6 × f32           |
///           and all L payload bytes       |    |   Σp  plug 1..6  6 × f32           |
///                                         +-----------------------------------------+
/// L = 22 + 8 × plugs; plugs is a multiple of 6 (one master module plus up to 7 slaves).
/// </code>
/// </remarks>
public static class FrameLayout
{
    public const uint SyncWord = 0xFBFCFDFE; // FE FD FC FB read little-endian
    public const int SyncLength = 4;
    public const int LengthOffset = 4;
    public const int HeaderLength = 6;
    public const int CheckLength = 1;

    public const int FrameIdOffset = 0;
    public const int DeltaOffset = 2;
    public const int SampleCountOffset = 6;
    public const int VoltageOffset = 10;
    public const int ModulesOffset = 22;

    public const int Phases = 3;
    public const int PlugsPerModule = 6;
    public const int BytesPerPlug = 8;
    public const int ModuleLength = PlugsPerModule * BytesPerPlug;
    public const int MaxModules = 8;
    public const int MaxPlugs = MaxModules * PlugsPerModule;

    public const int MinPayloadLength = ModulesOffset + ModuleLength;
    public const int MaxPayloadLength = ModulesOffset + (MaxModules * ModuleLength);
    public const int MaxFrameLength = HeaderLength + MaxPayloadLength + CheckLength;

    /// <summary>
    /// Nominal time between two frames: the box aggregates 156 samples at 15.6 kHz. Every other
    /// form of the period (seconds, nanoseconds, a TimeSpan, frames per second) derives from it.
    /// </summary>
    public const long FramePeriodMicroseconds = 10_000;
    public const long FramePeriodNanoseconds = FramePeriodMicroseconds * 1000;
    public const double FramePeriodSeconds = FramePeriodMicroseconds / 1e6;
    public const int FramesPerSecond = (int)(1_000_000 / FramePeriodMicroseconds);
    public static readonly TimeSpan FramePeriod = TimeSpan.FromMicroseconds(FramePeriodMicroseconds);

    /// <summary>The four sync bytes, in wire order.</summary>
    public static ReadOnlySpan<byte> Sync => [0xFE, 0xFD, 0xFC, 0xFB];

    /// <summary>Whether <paramref name="payloadLength"/> is 22 + 48 × modules for 1 to 8 modules.</summary>
    public static bool IsValidPayloadLength(int payloadLength) =>
        payloadLength >= MinPayloadLength
        && payloadLength <= MaxPayloadLength
        && (payloadLength - ModulesOffset) % ModuleLength == 0;

    public static int PlugsFromPayloadLength(int payloadLength) => (payloadLength - ModulesOffset) / BytesPerPlug;

    public static int PayloadLength(int plugs) => ModulesOffset + (plugs * BytesPerPlug);

    public static int FrameLength(int plugs) => HeaderLength + PayloadLength(plugs) + CheckLength;

    /// <summary>Whether <paramref name="socket"/> can be a socket of a box: 1 to <see cref="MaxPlugs"/>, as printed on it.</summary>
    public static bool IsValidSocket(int socket) => socket is >= 1 and <= MaxPlugs;

    public static bool IsValidPlugCount(int plugs) =>
        plugs >= PlugsPerModule && plugs <= MaxPlugs && plugs % PlugsPerModule == 0;

    /// <summary>Offset in the payload of plug <paramref name="plug"/>'s Σi² (0-based plug).</summary>
    public static int CurrentOffset(int plug) =>
        ModulesOffset + (plug / PlugsPerModule * ModuleLength) + (plug % PlugsPerModule * 4);

    /// <summary>Offset in the payload of plug <paramref name="plug"/>'s Σp (0-based plug).</summary>
    public static int PowerOffset(int plug) => CurrentOffset(plug) + (PlugsPerModule * 4);
}
