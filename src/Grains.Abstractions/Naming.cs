using System.Text.RegularExpressions;

namespace Fleet.Grains.Abstractions;

/// <summary>The ids users type for boxes, machines and experiments: short, no spaces, safe in URLs and SQL.</summary>
public static partial class Naming
{
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    // \A and \z, not ^ and $: '$' also matches before a final newline, which let "box\n" through.
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
