using System.Globalization;
using System.Text.RegularExpressions;

namespace Fleet.Cli.Parsing;

/// <summary>
/// Lengths of time people type: seconds as a bare number (<c>90</c>, <c>2.5</c>), or with units
/// as relative times take them (<see cref="TimeInput"/>'s <c>-10m</c> without the sign):
/// <c>30s</c>, <c>2m</c>, <c>1h30m</c>.
/// </summary>
internal static partial class DurationInput
{
    /// <summary>What help texts say a DURATION may be.</summary>
    public const string Forms = "seconds (90) or with units (30s, 2m, 1h30m)";

    public static double ParseSeconds(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var bare))
        {
            return bare;
        }

        var match = WithUnits().Match(trimmed);
        if (!match.Success)
        {
            throw new CliException($"{option} '{text}' is not a duration: give {Forms}", 2);
        }

        var seconds = 0.0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value.TrimStart('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.');
            var amount = double.Parse(part.Value.AsSpan(0, part.Value.Length - unit.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            seconds += unit switch
            {
                "s" => amount,
                "m" or "min" => amount * 60,
                _ => amount * 3600,
            };
        }

        return seconds;
    }

    [GeneratedRegex(@"^(?<part>\d+(?:\.\d+)?(?:s|min|m|h))+$", RegexOptions.CultureInvariant)]
    private static partial Regex WithUnits();
}
