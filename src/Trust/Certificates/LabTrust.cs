using System.Security.Cryptography.X509Certificates;
using Fleet.OmegaWatt.Naming;

namespace Fleet.Trust.Certificates;

/// <summary>
/// Checks that a certificate was signed by the lab's authority (and by nothing else: the system's
/// trusted roots play no part), is valid now, and says who it names. Used for TLS between silos
/// and agents, and for the signatures on agents' batches.
/// </summary>
public sealed class LabTrust
{
    private const string OrganizationalUnitOid = "2.5.4.11";

    public LabTrust(X509Certificate2 authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        Authority = authority;
    }

    /// <summary>The lab's CA certificate (without its key).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The identity <paramref name="certificate"/> names, or null with the reason it is not one of the lab's.</summary>
    public LabIdentity? Identify(X509Certificate2 certificate, out string reason)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (!chain.Build(certificate))
        {
            var problems = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct();
            reason = $"certificate '{certificate.Subject}' is not valid under the lab's authority ({string.Join("; ", problems)})";
            return null;
        }

        var root = chain.ChainElements[^1].Certificate;
        if (!root.RawDataMemory.Span.SequenceEqual(Authority.RawDataMemory.Span) || chain.ChainElements.Count != 2)
        {
            reason = $"certificate '{certificate.Subject}' was not signed by the lab's authority '{Authority.Subject}'";
            return null;
        }

        var unit = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(n => n.GetSingleElementType().Value == OrganizationalUnitOid)
            .Select(n => n.GetSingleElementValue())
            .FirstOrDefault();
        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (unit is null || !unit.StartsWith(Roles.OrganizationalUnitPrefix, StringComparison.Ordinal) || !Roles.TryParse(unit[Roles.OrganizationalUnitPrefix.Length..], out var role))
        {
            reason = $"certificate '{certificate.Subject}' names no Fleet role (OU=fleet-silo or OU=fleet-agent)";
            return null;
        }

        if (!IdRule.IsValid(name))
        {
            reason = $"certificate '{certificate.Subject}': {IdRule.Invalid(name, "name")}";
            return null;
        }

        reason = string.Empty;
        return new LabIdentity(role, name);
    }
}
