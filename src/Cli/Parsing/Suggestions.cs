namespace Fleet.Cli.Parsing;

/// <summary>
/// "Did you mean …?" for a mistyped command or option. System.CommandLine 2.0 has typo
/// corrections only inside its default parse-error action, which prints a block to stdout
/// followed by the whole help; Fleet's errors are one line on stderr, so the suggestion is
/// computed here, with the edit distance that counts a swap of two letters as one typo.
/// </summary>
internal static class Suggestions
{
    /// <summary>The candidate closest to <paramref name="typed"/>, or null when none is close enough to be a typo.</summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(typed);
        var word = typed.TrimStart('-');
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal))
        {
            var name = candidate.TrimStart('-');

            // An option is never the answer to a mistyped command, nor a command to a mistyped option.
            if (name.Length == 0 || word.Length == 0 || typed.StartsWith('-') != candidate.StartsWith('-'))
            {
                continue;
            }

            // An abbreviation or a longer spelling of one name ("mach", "--output") is as good as a typo.
            var distance = name.StartsWith(word, StringComparison.Ordinal) || word.StartsWith(name, StringComparison.Ordinal)
                ? 1
                : Distance(word, name);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Tolerance(word) ? best : null;
    }

    /// <summary>How many typos a word of this length may hold and still be recognised: 1 up to 4 letters, 2 up to 8, then 3.</summary>
    private static int Tolerance(string word) => word.Length <= 4 ? 1 : word.Length <= 8 ? 2 : 3;

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours each cost 1.</summary>
    internal static int Distance(string a, string b)
    {
        var width = b.Length + 1;
        var d = new int[(a.Length + 1) * width];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i * width] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var best = Math.Min(Math.Min(d[((i - 1) * width) + j] + 1, d[(i * width) + j - 1] + 1), d[((i - 1) * width) + j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    best = Math.Min(best, d[((i - 2) * width) + j - 2] + 1);
                }

                d[(i * width) + j] = best;
            }
        }

        return d[^1];
    }
}
