namespace Fleet.Trust.Certificates;

/// <summary>Who a certificate of the lab's authority names: a silo or an agent's host, by its common name.</summary>
public sealed record LabIdentity(CertificateRole Role, string Name)
{
    public override string ToString() => $"{Roles.Name(Role)} {Name}";
}
