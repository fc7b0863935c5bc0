namespace Fleet.Silo.Hosting;

/// <summary>
/// Section <c>Fleet:Tls</c> (environment <c>Fleet__Tls__CertificateFile</c> …): the silo's
/// certificate and key from <c>fleet certs issue --silo NAME</c>, and the lab's CA certificate.
/// With them the silo and gateway ports speak mutual TLS; without them the silo is in
/// development mode and listens on loopback addresses only.
/// </summary>
public sealed class TlsSettings
{
    public const string Section = "Fleet:Tls";

    public string? CertificateFile { get; set; }

    public string? KeyFile { get; set; }

    public string? CaFile { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(CertificateFile) || !string.IsNullOrWhiteSpace(KeyFile) || !string.IsNullOrWhiteSpace(CaFile);
}
