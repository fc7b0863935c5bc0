using System.Globalization;
using System.Text.RegularExpressions;

namespace Fleet.Deploy.Tests.Support;

/// <summary>
/// Expands the Grafana macros and variables the dashboards' SQL uses into plain PostgreSQL, the way
/// Grafana would for a one-hour time range ending now and one chosen experiment.
/// </summary>
public static partial class GrafanaMacros
{
    public static string ExpandSql(string sql, IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(variables);
        var expanded = TimeFilter().Replace(sql, m => $"{m.Groups["column"].Value.Trim()} BETWEEN now() - interval '1 hour' AND now()");
        expanded = TimeGroup().Replace(expanded, m =>
        {
            var seconds = IntervalSeconds(m.Groups["interval"].Value.Trim().Trim('\'', '"'));
            var bucket = $"to_timestamp(floor(extract(epoch FROM {m.Groups["column"].Value.Trim()}) / {seconds}) * {seconds})";
            return m.Groups["alias"].Success ? bucket + " AS \"time\"" : bucket;
        });
        expanded = TimeFromTo().Replace(expanded, m => m.Groups["which"].Value == "From" ? "(now() - interval '1 hour')" : "now()");
        expanded = Variable().Replace(expanded, m =>
        {
            var name = m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["plain"].Value;
            if (!variables.TryGetValue(name, out var value))
            {
                throw new InvalidOperationException($"no value for Grafana variable or macro '{m.Value}'");
            }

            return m.Groups["format"].Value == "sqlstring" ? "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'" : value;
        });
        return expanded;
    }

    private static int IntervalSeconds(string interval)
    {
        var match = Interval().Match(interval);
        if (!match.Success)
        {
            throw new InvalidOperationException($"unsupported $__timeGroup interval '{interval}'");
        }

        var count = int.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value switch
        {
            "s" => count,
            "m" => count * 60,
            "h" => count * 3600,
            _ => count * 86400,
        };
    }

    [GeneratedRegex(@"\$__timeFilter\((?<column>[^)]+)\)")]
    private static partial Regex TimeFilter();

    [GeneratedRegex(@"\$__timeGroup(?<alias>Alias)?\((?<column>[^,]+),(?<interval>[^)]+)\)")]
    private static partial Regex TimeGroup();

    [GeneratedRegex(@"\$__time(?<which>From|To)\(\)")]
    private static partial Regex TimeFromTo();

    [GeneratedRegex(@"\$\{(?<braced>[A-Za-z0-9_]+)(?::(?<format>[A-Za-z]+))?\}|\$(?<plain>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^(?<count>\d+)(?<unit>[smhd])$")]
    private static partial Regex Interval();
}
