namespace Fleet.Deploy.Tests.Support;

/// <summary>
/// Reads the few values the tests need from the deploy/ YAML files (no YAML library in the
/// solution): every value of a key, inline or as a <c>|</c> / <c>&gt;</c> block scalar, and list items.
/// promtool and docker-compose validate the files' full syntax.
/// </summary>
public static class YamlText
{
    /// <summary>Every value of <paramref name="key"/> anywhere in the document, in order, unquoted.</summary>
    public static IReadOnlyList<string> Values(string yaml, string key)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var lines = yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var values = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var content = line.TrimStart(' ', '-').TrimStart();
            if (line.TrimStart().StartsWith('#') || !content.StartsWith(key + ":", StringComparison.Ordinal))
            {
                continue;
            }

            var value = content[(key.Length + 1)..].Trim();
            if (value is "|" or ">" or "|-" or ">-")
            {
                var indent = Indent(line);
                var block = new List<string>();
                while (i + 1 < lines.Length && (lines[i + 1].Trim().Length == 0 || Indent(lines[i + 1]) > indent))
                {
                    block.Add(lines[++i].Trim());
                }

                values.Add(string.Join(value.StartsWith('|') ? "\n" : " ", block).Trim());
            }
            else
            {
                values.Add(Unquote(value));
            }
        }

        return values;
    }

    /// <summary>The items of the top-level list under <paramref name="key"/> (e.g. "datasources"), each as its own text.</summary>
    public static IReadOnlyList<string> ListItems(string yaml, string key)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var lines = yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var items = new List<string>();
        var inList = false;
        int? itemIndent = null;
        List<string>? current = null;
        foreach (var line in lines)
        {
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (Indent(line) == 0)
            {
                inList = line.StartsWith(key + ":", StringComparison.Ordinal);
                continue;
            }

            if (!inList)
            {
                continue;
            }

            if (line.TrimStart().StartsWith("- ", StringComparison.Ordinal) && (itemIndent ??= Indent(line)) == Indent(line))
            {
                current = [];
                items.Add(string.Empty);
            }

            if (current is not null)
            {
                current.Add(line);
                items[^1] = string.Join('\n', current);
            }
        }

        return items;
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static string Unquote(string value)
    {
        var comment = value.IndexOf(" #", StringComparison.Ordinal);
        if (!value.StartsWith('"') && !value.StartsWith('\'') && comment >= 0)
        {
            value = value[..comment].TrimEnd();
        }

        return value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;
    }
}
