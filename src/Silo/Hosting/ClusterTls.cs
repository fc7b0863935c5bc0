using System.Security.Cryptography.X509Certificates;
using Fleet.Trust.Certificates;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace Fleet.Silo.Hosting;

/// <summary>
/// Mutual TLS on the silo's two ports (Microsoft.Orleans.Connections.Security): the silo port
/// takes only silos of the lab, the gateway port only agents of the lab, and this silo shows
/// its own certificate to both and checks the silos it connects to. Nothing else is trusted:
/// not the system's roots, not a certificate of another authority, not one without a certificate.
/// </summary>
internal static partial class ClusterTls
{
    public static void Configure(ISiloBuilder silo, X509Certificate2 certificate, LabTrust trust)
    {
        silo.Services.AddOptions<SiloConnectionOptions>().Configure<ILoggerFactory>((connections, loggers) =>
        {
            var logger = loggers.CreateLogger("Fleet.Silo.ClusterTls");
            connections.ConfigureSiloInboundConnection(builder => builder.UseServerTls(Options(certificate, trust, logger, "silo port", CertificateRole.Silo)));
            connections.ConfigureGatewayInboundConnection(builder => builder.UseServerTls(Options(certificate, trust, logger, "gateway", CertificateRole.Agent)));
            connections.ConfigureSiloOutboundConnection(builder => builder.UseClientTls(Options(certificate, trust, logger, "silo", CertificateRole.Silo)));
        });
    }

    private static TlsOptions Options(X509Certificate2 certificate, LabTrust trust, ILogger logger, string port, CertificateRole accepted) => new()
    {
        LocalCertificate = certificate,
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
        // Peers are found by address in the membership table, so host names are not what is
        // checked: the lab's signature and the role written in the certificate are.
        RemoteCertificateValidation = (remote, _, _) =>
        {
            var identity = trust.Identify(remote, out var reason);
            if (identity is null)
            {
                LogRefused(logger, port, reason);
                return false;
            }

            if (identity.Role != accepted)
            {
                LogRefused(logger, port, $"{identity} is not a {Roles.Name(accepted)}");
                return false;
            }

            return true;
        },
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS connection on the {Port} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string port, string reason);
}
