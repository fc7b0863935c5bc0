using System.Security.Cryptography.X509Certificates;
using Fleet.Trust.Certificates;

namespace Fleet.AgentHost.Pushing;

/// <summary>
/// The agent's side of mutual TLS: it shows its lab certificate to the gateway and trusts only
/// silos the lab's authority signed. The same certificate signs what it writes, and its name is
/// the host name the cluster enrols.
/// </summary>
public sealed class AgentTls
{
    private readonly LabTrust _trust;

    private AgentTls(X509Certificate2 certificate, LabTrust trust, string hostName)
    {
        Certificate = certificate;
        _trust = trust;
        HostName = hostName;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The host name in the certificate, as enrolled with <c>fleet agents allow HOST</c>.</summary>
    public string HostName { get; }

    /// <summary>Loads the files and checks the certificate is an agent's of this lab; a problem is one sentence.</summary>
    public static AgentTls Load(string certificateFile, string keyFile, string authorityFile)
    {
        var certificate = PemFiles.LoadWithKey(certificateFile, keyFile);
        var trust = new LabTrust(PemFiles.LoadCertificate(authorityFile));
        var identity = trust.Identify(certificate, out var reason) ?? throw new InvalidDataException(reason);
        return identity.Role == CertificateRole.Agent
            ? new AgentTls(certificate, trust, identity.Name)
            : throw new InvalidDataException($"{certificateFile} is the certificate of {identity}, not of an agent (fleet certs issue --agent HOST)");
    }

    /// <summary>An HTTPS handler that trusts only silos of the lab (for <c>--gateways-from</c>).</summary>
    public SocketsHttpHandler HttpsHandler()
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }

            using var remote = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return _trust.Identify(remote, out _) is { Role: CertificateRole.Silo };
        };
        return handler;
    }

    public void Configure(IClientBuilder client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.UseTls(Certificate, options =>
        {
            options.RemoteCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
            // Gateways are reached by address, so the lab's signature and the silo role are what count, not host names.
            options.RemoteCertificateValidation = (remote, _, _) => _trust.Identify(remote, out _) is { Role: CertificateRole.Silo };
        });
    }
}
