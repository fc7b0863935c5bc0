using Fleet.OmegaWatt.Naming;

namespace Fleet.Grains.Abstractions;

/// <summary>
/// The ids users type for boxes, machines and experiments, as grains check them: the rule and
/// its message are <see cref="IdRule"/>'s, which the CLI (that cannot reference grain
/// contracts) checks too.
/// </summary>
public static class Naming
{
    public static bool IsValidId(string? id) => IdRule.IsValid(id);

    /// <summary>E.g. <c>'bad box' is not a valid box id (letters, digits, …)</c>.</summary>
    public static string InvalidId(string? id, string what) => IdRule.Invalid(id, what);
}
