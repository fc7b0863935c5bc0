using System.Text.RegularExpressions;

namespace Fleet.OmegaWatt.Naming;

/// <summary>
/// The ids people type for boxes, machines and experiments: short, no spaces, safe in URLs and
/// SQL. It lives here, in the one library every Fleet program references, so the CLI checks
/// exactly what the silo and the grains check, with the same message.
/// </summary>
public static partial class IdRule
{
    /// <summary>What a valid id is, as messages say it.</summary>
    public const string Description = "letters, digits, '.', '_', '-'; at most 64";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>E.g. <c>'bad box' is not a valid box id (letters, digits, …)</c>.</summary>
    public static string Invalid(string? id, string what) => $"'{id}' is not a valid {what} ({Description})";

    // \A and \z, not ^ and $: '$' also matches before a final newline, which let "box\n" through.
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
