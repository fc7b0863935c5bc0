using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Fleet.EndToEnd.Tests.Support;

/// <summary>A real silo process on loopback ports against a given database; restartable on the same ports.</summary>
public sealed class SiloProcess : IDisposable
{
    private readonly string _connectionString;
    private readonly string _clustering;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _scheme;
    private ManagedProcess? _process;

    /// <param name="httpsAuthority">Serve the API over HTTPS (the environment names Kestrel's certificate) and trust only this CA for it.</param>
    public SiloProcess(string connectionString, string clustering = "Localhost", IReadOnlyDictionary<string, string>? environment = null, X509Certificate2? httpsAuthority = null)
    {
        _connectionString = connectionString;
        _clustering = clustering;
        _environment = environment ?? new Dictionary<string, string>();
        _scheme = httpsAuthority is null ? "http" : "https";
        HttpPort = FreePorts.Next();
        SiloPort = FreePorts.Next();
        GatewayPort = FreePorts.Next();
        var handler = new SocketsHttpHandler();
        if (httpsAuthority is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                // The silo's name must match (RemoteCertificateNameMismatch is not forgiven); the chain must end at the lab's CA.
                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(httpsAuthority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return chain.Build(leaf);
            };
        }

        Http = new HttpClient(handler) { BaseAddress = new Uri($"{_scheme}://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The API's address as `fleet --url` takes it.</summary>
    public string Url => $"{_scheme}://127.0.0.1:{HttpPort}";

    public int HttpPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public HttpClient Http { get; }

    public string Output => _process?.Output ?? string.Empty;

    public async Task StartAsync()
    {
        _process?.Dispose();
        _process = new ManagedProcess(Binaries.Silo, [], new Dictionary<string, string>(_environment)
        {
            ["ConnectionStrings__Fleet"] = _connectionString,
            ["ASPNETCORE_URLS"] = Url,
            ["Fleet__Clustering"] = _clustering,
            ["Fleet__SiloPort"] = SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Fleet__GatewayPort"] = GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Fleet__ClusterId"] = "e2e",
            ["Fleet__ServiceId"] = "e2e",
        });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"silo exited with {_process.ExitCode}:\n{_process.Output}");
            }

            try
            {
                if ((await Http.GetStringAsync("/healthz")) == "ok")
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"silo did not answer /healthz within 60 s:\n{_process.Output}");
    }

    /// <summary>SIGKILL, as a crash: no graceful deactivation, no flush.</summary>
    public void Kill() => _process?.Kill();

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(body).RootElement.Clone()
            : throw new HttpRequestException($"GET {path} → {(int)response.StatusCode}: {body}");
    }

    public Task<HttpResponseMessage> PutJsonAsync(string path, object body) => Http.PutAsJsonAsync(path, body);

    public void Dispose()
    {
        _process?.Dispose();
        Http.Dispose();
    }
}
