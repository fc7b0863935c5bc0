namespace Fleet.Trust.Certificates;

/// <summary>How a role is written in a certificate's subject (OU) and in file names.</summary>
public static class Roles
{
    public const string OrganizationalUnitPrefix = "fleet-";

    public static string Name(CertificateRole role) => role switch
    {
        CertificateRole.Silo => "silo",
        CertificateRole.Agent => "agent",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static bool TryParse(string? text, out CertificateRole role)
    {
        foreach (var candidate in Enum.GetValues<CertificateRole>())
        {
            if (string.Equals(text, Name(candidate), StringComparison.Ordinal))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }
}
