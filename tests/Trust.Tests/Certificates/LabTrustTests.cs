using System.Net;
using Fleet.Trust.Certificates;

namespace Fleet.Trust.Tests.Certificates;

/// <summary>Certificates made by <see cref="LabAuthority"/> and judged by <see cref="LabTrust"/>, as `fleet certs` and the cluster use them.</summary>
public sealed class LabTrustTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-trust-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(CertificateRole.Silo, "silo-1")]
    [InlineData(CertificateRole.Agent, "usb-host-3")]
    public void Identify_CertificateOfTheLab_NamesItsRoleAndName(CertificateRole role, string name)
    {
        using var authority = LabAuthority.CreateAuthority("test lab", Now, TimeSpan.FromDays(30));
        using var certificate = LabAuthority.Issue(authority, role, name, [], [], Now, TimeSpan.FromDays(1));

        var identity = new LabTrust(authority).Identify(certificate, out var reason);

        Assert.Equal(new LabIdentity(role, name), identity);
        Assert.Equal(string.Empty, reason);
    }

    [Fact]
    public void Identify_CertificateOfAnotherAuthority_Refused()
    {
        using var lab = LabAuthority.CreateAuthority("test lab", Now, TimeSpan.FromDays(30));
        using var other = LabAuthority.CreateAuthority("test lab", Now, TimeSpan.FromDays(30));
        using var certificate = LabAuthority.Issue(other, CertificateRole.Agent, "usb-host-3", [], [], Now, TimeSpan.FromDays(1));

        var identity = new LabTrust(lab).Identify(certificate, out var reason);

        Assert.Null(identity);
        Assert.Contains("usb-host-3", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Identify_TheAuthorityItself_IsNoSiloOrAgent()
    {
        using var authority = LabAuthority.CreateAuthority("test lab", Now, TimeSpan.FromDays(30));

        Assert.Null(new LabTrust(authority).Identify(authority, out _));
    }

    [Fact]
    public void Identify_Expired_Refused()
    {
        using var authority = LabAuthority.CreateAuthority("test lab", Now.AddDays(-10), TimeSpan.FromDays(30));
        using var certificate = LabAuthority.Issue(authority, CertificateRole.Agent, "usb-host-3", [], [], Now.AddDays(-10), TimeSpan.FromDays(1));

        Assert.Null(new LabTrust(authority).Identify(certificate, out var reason));
        Assert.NotEmpty(reason);
    }

    [Fact]
    public void Issue_ExtraNames_AreSubjectAlternativeNames()
    {
        using var authority = LabAuthority.CreateAuthority("test lab", Now, TimeSpan.FromDays(30));
        using var certificate = LabAuthority.Issue(authority, CertificateRole.Silo, "silo-1", ["localhost"], [IPAddress.Loopback], Now, TimeSpan.FromDays(1));

        Assert.True(certificate.MatchesHostname("silo-1"));
        Assert.True(certificate.MatchesHostname("localhost"));
        Assert.True(certificate.MatchesHostname("127.0.0.1"));
        Assert.False(certificate.MatchesHostname("silo-2"));
    }

    [Fact]
    public void WriteAndLoad_PemFiles_RoundTripWithAnOwnerOnlyKey()
    {
        using var authority = LabAuthority.CreateAuthority("test lab", Now, TimeSpan.FromDays(30));
        using var certificate = LabAuthority.Issue(authority, CertificateRole.Agent, "usb-host-3", [], [], Now, TimeSpan.FromDays(1));
        var certificateFile = Path.Combine(_directory, LabFiles.Certificate(CertificateRole.Agent, "usb-host-3"));
        var keyFile = Path.Combine(_directory, LabFiles.Key(CertificateRole.Agent, "usb-host-3"));

        PemFiles.Write(certificate, certificateFile, keyFile);
        using var loaded = PemFiles.LoadWithKey(certificateFile, keyFile);

        Assert.Equal(certificate.Thumbprint, loaded.Thumbprint);
        Assert.True(loaded.HasPrivateKey);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        Assert.Throws<IOException>(() => PemFiles.Write(certificate, certificateFile, keyFile));
    }

    [Fact]
    public void LoadWithKey_MissingFile_SaysWhichFile()
    {
        var missing = Path.Combine(_directory, "nope.crt");

        var error = Assert.Throws<FileNotFoundException>(() => PemFiles.LoadWithKey(missing, missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }
}
