using System.Text.RegularExpressions;

namespace Fleet.Deploy.Tests.Support;

/// <summary>
/// Finds the metric names a PromQL expression reads: every identifier that is not a function, an
/// aggregation, a keyword, a label (in <c>{…}</c> or <c>by/without/on/ignoring (…)</c>), a range or
/// a Grafana variable. Enough of PromQL for dashboards and alert rules, not a full parser.
/// </summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio",
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan",
    };

    private static readonly HashSet<string> LabelListKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right",
    };

    public static IReadOnlySet<string> MetricNames(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (c is '"' or '\'' or '`')
            {
                i = SkipString(expression, i);
            }
            else if (c == '{')
            {
                i = SkipBlock(expression, i, '{', '}');
            }
            else if (c == '[')
            {
                i = SkipBlock(expression, i, '[', ']');
            }
            else if (c == '#')
            {
                // A comment runs to the end of the line.
                var end = expression.IndexOf('\n', i);
                i = end < 0 ? expression.Length : end;
            }
            else if (c == '$')
            {
                // A Grafana variable: $name, ${name} or ${name:format}.
                i++;
                if (i < expression.Length && expression[i] == '{')
                {
                    i = SkipBlock(expression, i, '{', '}');
                }
                else
                {
                    while (i < expression.Length && IsIdentifierPart(expression[i]))
                    {
                        i++;
                    }
                }
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < expression.Length && char.IsAsciiDigit(expression[i + 1])))
            {
                while (i < expression.Length && (char.IsAsciiLetterOrDigit(expression[i]) || expression[i] is '.' or '_'))
                {
                    i++;
                }
            }
            else if (IsIdentifierStart(c))
            {
                var start = i;
                while (i < expression.Length && IsIdentifierPart(expression[i]))
                {
                    i++;
                }

                var identifier = expression[start..i];
                var next = i;
                while (next < expression.Length && char.IsWhiteSpace(expression[next]))
                {
                    next++;
                }

                var call = next < expression.Length && expression[next] == '(';
                if (LabelListKeywords.Contains(identifier) && call)
                {
                    i = SkipBlock(expression, next, '(', ')');
                }
                else if (!call && !Keywords.Contains(identifier))
                {
                    names.Add(identifier);
                }
            }
            else
            {
                i++;
            }
        }

        return names;
    }

    /// <summary>
    /// The metric names a Grafana Prometheus variable query reads: <c>label_values(metric, label)</c>,
    /// <c>label_values(label)</c> (none), <c>query_result(expr)</c> or <c>metrics(regex)</c> (none).
    /// </summary>
    public static IReadOnlySet<string> VariableQueryMetricNames(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var labelValues = LabelValuesQuery().Match(query.Trim());
        if (labelValues.Success)
        {
            return labelValues.Groups["expr"].Success ? MetricNames(labelValues.Groups["expr"].Value) : new HashSet<string>();
        }

        var queryResult = QueryResultQuery().Match(query.Trim());
        if (queryResult.Success)
        {
            return MetricNames(queryResult.Groups["expr"].Value);
        }

        return query.Trim().StartsWith("metrics(", StringComparison.Ordinal) ? new HashSet<string>() : MetricNames(query);
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or ':';

    private static int SkipString(string text, int start)
    {
        var quote = text[start];
        var i = start + 1;
        while (i < text.Length && text[i] != quote)
        {
            i += text[i] == '\\' && quote != '`' ? 2 : 1;
        }

        return Math.Min(i + 1, text.Length);
    }

    private static int SkipBlock(string text, int start, char open, char close)
    {
        var depth = 0;
        var i = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '"' or '\'' or '`')
            {
                i = SkipString(text, i);
                continue;
            }

            if (c == open)
            {
                depth++;
            }
            else if (c == close && --depth == 0)
            {
                return i + 1;
            }

            i++;
        }

        return i;
    }

    [GeneratedRegex(@"^label_values\(\s*(?:(?<expr>.+),\s*)?(?<label>[A-Za-z_][A-Za-z0-9_]*)\s*\)$", RegexOptions.Singleline)]
    private static partial Regex LabelValuesQuery();

    [GeneratedRegex(@"^query_result\((?<expr>.+)\)$", RegexOptions.Singleline)]
    private static partial Regex QueryResultQuery();
}
