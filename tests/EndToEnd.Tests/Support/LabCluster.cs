using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Fleet.Storage.Tests.Support;
using Npgsql;

namespace Fleet.EndToEnd.Tests.Support;

/// <summary>
/// A lab as an admin sets one up: an authority and certificates made by the real `fleet certs`
/// (a silo, an agent host, and an agent of another lab's authority), and a silo on a fresh
/// database with mutual TLS on its ports, and its API over HTTPS with the silo's certificate and
/// a bootstrap admin token. `fleet` trusts the lab's CA through SSL_CERT_FILE, as README says.
/// </summary>
public sealed class LabCluster : IAsyncLifetime
{
    public const string AdminToken = "lab-admin-token";
    public const string AgentHost = "usb-a";

    private readonly PostgresFixture _postgres = new();

    public string Authority { get; } = Directory.CreateTempSubdirectory("fleet-lab-ca-").FullName;

    public string OtherAuthority { get; } = Directory.CreateTempSubdirectory("fleet-other-ca-").FullName;

    public SiloProcess Silo { get; private set; } = null!;

    public NpgsqlDataSource DataSource => _postgres.DataSource;

    public string Url => Silo.Url;

    /// <summary>What `fleet` needs to trust the silo's HTTPS certificate.</summary>
    public IReadOnlyDictionary<string, string> CliEnvironment => new Dictionary<string, string> { ["SSL_CERT_FILE"] = Path.Combine(Authority, "ca.crt") };

    /// <summary>The agent's --tls-* options with this lab's certificate (or the other lab's).</summary>
    public string[] AgentTls(bool otherLab = false)
    {
        var directory = otherLab ? OtherAuthority : Authority;
        return ["--tls-cert", Path.Combine(directory, $"agent-{AgentHost}.crt"), "--tls-key", Path.Combine(directory, $"agent-{AgentHost}.key"), "--tls-ca", Path.Combine(Authority, "ca.crt")];
    }

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        await CertsAsync("init", Authority);
        await CertsAsync("issue", "--silo", "silo-1", "--dir", Authority, "--ip", "127.0.0.1");
        await CertsAsync("issue", "--agent", AgentHost, "--dir", Authority);
        await CertsAsync("init", OtherAuthority);
        await CertsAsync("issue", "--agent", AgentHost, "--dir", OtherAuthority);
        var certificate = Path.Combine(Authority, "silo-silo-1.crt");
        var key = Path.Combine(Authority, "silo-silo-1.key");
        Silo = new SiloProcess(
            _postgres.DataSource.ConnectionString,
            environment: new Dictionary<string, string>
            {
                ["Fleet__ApiToken"] = AdminToken,
                ["Fleet__Tls__CertificateFile"] = certificate,
                ["Fleet__Tls__KeyFile"] = key,
                ["Fleet__Tls__CaFile"] = Path.Combine(Authority, "ca.crt"),
                ["Kestrel__Certificates__Default__Path"] = certificate,
                ["Kestrel__Certificates__Default__KeyPath"] = key,
            },
            httpsAuthority: X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(Authority, "ca.crt"))));
        Silo.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        await Silo.StartAsync();
    }

    public async Task DisposeAsync()
    {
        Silo?.Dispose();
        await _postgres.DisposeAsync();
        Directory.Delete(Authority, recursive: true);
        Directory.Delete(OtherAuthority, recursive: true);
    }

    /// <summary>Runs `fleet certs ARGS` as an admin would; it must succeed.</summary>
    private static async Task CertsAsync(params string[] arguments)
    {
        var (exitCode, output, error) = await FleetCli.RunAsync(["certs", .. arguments]);
        Assert.True(exitCode == 0, $"fleet certs {string.Join(' ', arguments)} failed: {output}{error}");
    }
}
