namespace Fleet.Trust.Certificates;

/// <summary>
/// The files of a lab directory made by <c>fleet certs init DIR</c>: <c>ca.crt</c> and
/// <c>ca.key</c>, then <c>ROLE-NAME.crt</c> and <c>ROLE-NAME.key</c> per issued certificate (PEM).
/// </summary>
public static class LabFiles
{
    public const string AuthorityCertificate = "ca.crt";

    public const string AuthorityKey = "ca.key";

    public static string Certificate(CertificateRole role, string name) => $"{Roles.Name(role)}-{name}.crt";

    public static string Key(CertificateRole role, string name) => $"{Roles.Name(role)}-{name}.key";
}
