namespace Fleet.Trust.Certificates;

/// <summary>
/// What a certificate of the lab's authority lets its holder be. Written in the subject's
/// organisational unit (<c>OU=fleet-silo</c>), so the role cannot be changed without the CA's key.
/// </summary>
public enum CertificateRole
{
    /// <summary>A silo: serves the cluster's silo and gateway ports, joins other silos, signs HTTP imports.</summary>
    Silo,

    /// <summary>An agent on a USB host: connects to gateways and writes the boxes it is enrolled for.</summary>
    Agent,
}
