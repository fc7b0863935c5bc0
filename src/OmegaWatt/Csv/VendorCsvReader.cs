using System.Globalization;
using Fleet.OmegaWatt.Protocol;

namespace Fleet.OmegaWatt.Csv;

/// <summary>
/// Reads logs written by the vendor's <c>wattmetre-read</c> (or by <see cref="VendorCsvWriter"/>).
/// A malformed line (wrong field count, NaN, a bad timestamp) is skipped and reported with its
/// line number; the valid lines around it are kept.
/// </summary>
public sealed class VendorCsvReader
{
    /// <summary>Skipped lines beyond this many are counted but not kept, so a garbage file cannot exhaust memory.</summary>
    public const int MaxKeptErrors = 100;

    private const long NanosecondsPerSecond = 1_000_000_000L;
    private readonly TextReader _input;
    private readonly List<CsvLineError> _errors = [];
    private readonly int _fieldCount;
    private long _lineNumber;

    /// <summary>Reads and checks the header line.</summary>
    /// <exception cref="VendorCsvFormatException">The first line is not a vendor CSV header.</exception>
    public VendorCsvReader(TextReader input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        var header = _input.ReadLine();
        _lineNumber = 1;
        if (header is null)
        {
            throw new VendorCsvFormatException("the file is empty: expected a header starting with #timestamp,#frame_is_ok");
        }

        Plugs = ParseHeader(header.TrimEnd('\r'));
        _fieldCount = 2 + FrameLayout.Phases + (2 * Plugs);
    }

    public int Plugs { get; }

    /// <summary>The first <see cref="MaxKeptErrors"/> skipped lines.</summary>
    public IReadOnlyList<CsvLineError> Errors => _errors;

    public long SkippedLines { get; private set; }

    /// <summary>Reads the remaining rows, skipping and recording malformed ones.</summary>
    public IEnumerable<VendorCsvRecord> ReadRecords()
    {
        while (_input.ReadLine() is { } line)
        {
            _lineNumber++;
            if (line.Length == 0 || (line.Length == 1 && line[0] == '\r'))
            {
                continue;
            }

            var record = ParseRow(line.AsSpan().TrimEnd('\r'), out var reason);
            if (record is null)
            {
                SkippedLines++;
                if (_errors.Count < MaxKeptErrors)
                {
                    _errors.Add(new CsvLineError(_lineNumber, reason!));
                }

                continue;
            }

            yield return record;
        }
    }

    /// <summary>Parses <c>seconds[.fraction]</c> (up to 9 fraction digits) into Unix nanoseconds.</summary>
    public static bool TryParseUnixNanoseconds(ReadOnlySpan<char> text, out long unixNanoseconds)
    {
        unixNanoseconds = 0;
        var dot = text.IndexOf('.');
        var secondsText = dot < 0 ? text : text[..dot];
        if (!long.TryParse(secondsText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > long.MaxValue / NanosecondsPerSecond)
        {
            return false;
        }

        long fraction = 0;
        if (dot >= 0)
        {
            var digits = text[(dot + 1)..];
            if (digits.Length is 0 or > 9
                || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out fraction))
            {
                return false;
            }

            for (var k = digits.Length; k < 9; k++)
            {
                fraction *= 10;
            }
        }

        unixNanoseconds = (seconds * NanosecondsPerSecond) + fraction;
        return true;
    }

    private static int ParseHeader(string header)
    {
        var fields = header.Split(',');
        var plugs = (fields.Length - 5) / 2;
        if (fields.Length < 7 || (fields.Length - 5) % 2 != 0 || !FrameLayout.IsValidPlugCount(plugs))
        {
            throw new VendorCsvFormatException(
                $"line 1: not a wattmeter CSV header (expected #timestamp,#frame_is_ok,#U1,#U2,#U3 then #currentK,#activepowK for 6, 12, … 48 plugs): {Shorten(header)}");
        }

        var expected = VendorCsvWriter.Header(plugs).Split(',');
        for (var k = 0; k < fields.Length; k++)
        {
            if (!string.Equals(fields[k].Trim(), expected[k], StringComparison.Ordinal))
            {
                throw new VendorCsvFormatException(
                    $"line 1: header column {k + 1} is '{Shorten(fields[k])}', expected '{expected[k]}'");
            }
        }

        return plugs;
    }

    private VendorCsvRecord? ParseRow(ReadOnlySpan<char> line, out string? reason)
    {
        Span<Range> ranges = stackalloc Range[_fieldCount + 1];
        var count = line.Split(ranges, ',');
        if (count != _fieldCount)
        {
            reason = $"expected {_fieldCount} fields, found {(count > _fieldCount ? "more" : count.ToString(CultureInfo.InvariantCulture))}";
            return null;
        }

        if (!TryParseUnixNanoseconds(line[ranges[0]], out var unixNanoseconds))
        {
            reason = $"bad timestamp '{Shorten(line[ranges[0]].ToString())}' (expected seconds.nanoseconds)";
            return null;
        }

        var ok = line[ranges[1]];
        if (ok.SequenceEqual("false"))
        {
            reason = null;
            return new VendorCsvRecord(unixNanoseconds, false, [], [], []);
        }

        if (!ok.SequenceEqual("true"))
        {
            reason = $"frame_is_ok is '{Shorten(ok.ToString())}', expected true or false";
            return null;
        }

        var volts = new float[FrameLayout.Phases];
        var currents = new float[Plugs];
        var powers = new float[Plugs];
        for (var field = 2; field < _fieldCount; field++)
        {
            var text = line[ranges[field]];
            if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value))
            {
                reason = $"field {field + 1} is '{Shorten(text.ToString())}', not a number";
                return null;
            }

            if (field < 2 + FrameLayout.Phases)
            {
                volts[field - 2] = value;
            }
            else
            {
                var plug = (field - 2 - FrameLayout.Phases) / 2;
                if ((field - 2 - FrameLayout.Phases) % 2 == 0)
                {
                    currents[plug] = value;
                }
                else
                {
                    powers[plug] = value;
                }
            }
        }

        reason = null;
        return new VendorCsvRecord(unixNanoseconds, true, volts, currents, powers);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
