using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Trust.Certificates;

/// <summary>
/// Makes the lab's certificate authority and the certificates it signs, with .NET's own X509
/// APIs (no OpenSSL). Keys are ECDSA P-256. A certificate's subject holds its name and role, <c>OU=fleet-ROLE, CN=NAME</c>;
/// silos may serve and connect (server and client authentication), agents only connect.
/// </summary>
public static class LabAuthority
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>A self-signed CA certificate with its private key, valid from a few minutes ago (clock skew between hosts).</summary>
    public static X509Certificate2 CreateAuthority(string name, DateTimeOffset now, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        // Encoded most general first (the unit, then the name); .NET shows it as "OU=…, CN=…".
        subject.AddOrganizationalUnitName(Roles.OrganizationalUnitPrefix + "ca");
        subject.AddCommonName(name);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now + lifetime);
    }

    /// <summary>
    /// A certificate for <paramref name="name"/> in <paramref name="role"/>, signed by
    /// <paramref name="authority"/> (which must hold its private key), with its own private key.
    /// Its names (DNS and IP subject alternative names) are <paramref name="name"/> plus the extra ones.
    /// </summary>
    public static X509Certificate2 Issue(
        X509Certificate2 authority,
        CertificateRole role,
        string name,
        IEnumerable<string> dnsNames,
        IEnumerable<IPAddress> addresses,
        DateTimeOffset now,
        TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(dnsNames);
        ArgumentNullException.ThrowIfNull(addresses);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationalUnitName(Roles.OrganizationalUnitPrefix + Roles.Name(role));
        subject.AddCommonName(name);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        var usages = new OidCollection { new Oid(ClientAuthentication) };
        if (role == CertificateRole.Silo)
        {
            usages.Add(new Oid(ServerAuthentication));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, critical: false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames.Prepend(name).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            names.AddDnsName(dns);
        }

        foreach (var address in addresses.Distinct())
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var notAfter = now + lifetime < authority.NotAfter ? now + lifetime : new DateTimeOffset(authority.NotAfter.ToUniversalTime());
        using var certificate = request.Create(authority, now.AddMinutes(-5), notAfter, serial);
        return certificate.CopyWithPrivateKey(key);
    }
}
