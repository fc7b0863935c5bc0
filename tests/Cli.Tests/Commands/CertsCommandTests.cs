using System.Security.Cryptography.X509Certificates;
using Fleet.Cli.Tests.Support;

namespace Fleet.Cli.Tests.Commands;

/// <summary>`fleet certs` as a process: the lab's authority and the certificates it signs, and the mistakes users make.</summary>
public sealed class CertsCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-certs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Lab => Path.Combine(_directory, "lab");

    [Fact]
    public async Task InitThenIssue_SiloAndAgent_CertificatesSignedByTheAuthorityWithTheirRoleAndKeysOwnerOnly()
    {
        var init = await FleetProcess.RunAsync(["certs", "init", Lab]);
        var silo = await FleetProcess.RunAsync(["certs", "issue", "--silo", "silo-1", "--dir", Lab, "--dns", "silo-1.lab", "--ip", "127.0.0.1"]);
        var agent = await FleetProcess.RunAsync(["certs", "issue", "--agent", "usb-host-3", "--dir", Lab]);

        Assert.True(init.ExitCode == 0, init.StandardError);
        Assert.True(silo.ExitCode == 0, silo.StandardError);
        Assert.True(agent.ExitCode == 0, agent.StandardError);
        Assert.Contains("fleet agents allow usb-host-3 --box BOX", agent.StandardOutput, StringComparison.Ordinal);
        using var authority = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(Lab, "ca.crt")));
        using var siloCertificate = X509Certificate2.CreateFromPemFile(Path.Combine(Lab, "silo-silo-1.crt"), Path.Combine(Lab, "silo-silo-1.key"));
        using var agentCertificate = X509Certificate2.CreateFromPemFile(Path.Combine(Lab, "agent-usb-host-3.crt"), Path.Combine(Lab, "agent-usb-host-3.key"));
        Assert.Equal(authority.Subject, siloCertificate.Issuer);
        Assert.Equal("OU=fleet-silo, CN=silo-1", siloCertificate.Subject);
        Assert.Equal("OU=fleet-agent, CN=usb-host-3", agentCertificate.Subject);
        Assert.True(siloCertificate.MatchesHostname("silo-1.lab"));
        Assert.True(siloCertificate.MatchesHostname("127.0.0.1"));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(agentCertificate));
        if (!OperatingSystem.IsWindows())
        {
            foreach (var key in new[] { "ca.key", "silo-silo-1.key", "agent-usb-host-3.key" })
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Lab, key)));
            }
        }
    }

    [Fact]
    public async Task Init_TwiceInOneDirectory_RefusesToOverwriteTheAuthority()
    {
        await FleetProcess.RunAsync(["certs", "init", Lab]);
        var before = await File.ReadAllTextAsync(Path.Combine(Lab, "ca.key"));

        var again = await FleetProcess.RunAsync(["certs", "init", Lab]);

        again.AssertCleanError(1, "never overwritten");
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(Lab, "ca.key")));
    }

    [Fact]
    public async Task Issue_TheSameNameTwice_RefusesToOverwriteTheKey()
    {
        await FleetProcess.RunAsync(["certs", "init", Lab]);
        await FleetProcess.RunAsync(["certs", "issue", "--agent", "usb-host-3", "--dir", Lab]);

        var again = await FleetProcess.RunAsync(["certs", "issue", "--agent", "usb-host-3", "--dir", Lab]);

        again.AssertCleanError(1, "agent-usb-host-3.key exists");
    }

    [Theory]
    [InlineData(2, "exactly one of --silo NAME or --agent HOST", "certs", "issue", "--dir", "DIR")]
    [InlineData(2, "exactly one of --silo NAME or --agent HOST", "certs", "issue", "--silo", "a", "--agent", "b", "--dir", "DIR")]
    [InlineData(2, "is not a valid", "certs", "issue", "--agent", "bad host", "--dir", "DIR")]
    [InlineData(2, "--ip 'nope' is not an IP address", "certs", "issue", "--silo", "silo-1", "--ip", "nope", "--dir", "DIR")]
    [InlineData(1, "create the authority with `fleet certs init", "certs", "issue", "--agent", "usb-host-3", "--dir", "DIR")]
    public async Task Issue_Mistakes_OneClearLine(int exitCode, string expected, params string[] arguments)
    {
        var result = await FleetProcess.RunAsync(arguments.Select(a => a == "DIR" ? Path.Combine(_directory, "empty") : a));

        result.AssertCleanError(exitCode, expected);
    }
}
