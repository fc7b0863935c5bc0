using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Fleet.EndToEnd.Tests.Support;
using Fleet.Grains.Abstractions;
using Fleet.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Fleet.EndToEnd.Tests;

/// <summary>
/// A silo with mutual TLS and the lab's authority, real agent processes and a real Orleans
/// client: who can connect, who can write which box, and what clients may call.
/// </summary>
public sealed class TrustTests : IClassFixture<LabCluster>, IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private readonly LabCluster _lab;
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-trust-e2e-").FullName;
    private readonly ExpectedCapture _capture = Fixtures.Expected("noisy-6plugs");

    public TrustTests(LabCluster lab) => _lab = lab;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Agent_WithoutALabCertificate_CannotConnect()
    {
        using var plain = Agent("box-stranger", "spool-plain");

        await plain.WaitForOutputAsync("Cluster unreachable", TimeSpan.FromSeconds(60));

        Assert.False(plain.HasExited, plain.Output);
        Assert.Equal(0, await StoredFrames.CountAsync(_lab.DataSource, "box-stranger"));
    }

    [Fact]
    public async Task Agent_WithAnotherLabsCertificate_RefusesToStartSayingWhy()
    {
        using var foreign = Agent("box-stranger", "spool-foreign", _lab.AgentTls(otherLab: true));

        Assert.Equal(2, await foreign.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("is not valid under the lab's authority", foreign.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", foreign.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrleansClient_WithoutALabCertificate_CannotConnect()
    {
        using var client = OrleansClient(certificate: null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await Assert.ThrowsAnyAsync<Exception>(() => client.StartAsync(timeout.Token));
        Assert.False(timeout.IsCancellationRequested, "the client neither connected nor failed within 60 s");
    }

    [Fact]
    public async Task OrleansClient_WithAnotherLabsCertificate_CannotConnect()
    {
        var files = _lab.AgentTls(otherLab: true);
        using var certificate = X509Certificate2.CreateFromPemFile(files[1], files[3]);
        using var client = OrleansClient(certificate);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await Assert.ThrowsAnyAsync<Exception>(() => client.StartAsync(timeout.Token));

        Assert.False(timeout.IsCancellationRequested, "the client neither connected nor failed within 60 s");
        await WaitForSiloOutputAsync("TLS connection on the gateway refused");
    }

    [Fact]
    public async Task ClientCall_ToManagementOrAnotherNonClientGrain_Refused()
    {
        using var certificate = X509Certificate2.CreateFromPemFile(_lab.AgentTls()[1], _lab.AgentTls()[3]);
        using var host = OrleansClient(certificate);
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IClusterClient>();

        var management = await Assert.ThrowsAsync<ClientCallRefusedException>(() => client.GetGrain<IManagementGrain>(0).GetHosts());
        var machine = await Assert.ThrowsAsync<ClientCallRefusedException>(() => client.GetGrain<IMachineGrain>("srv-1").GetAssignmentsAsync().AsTask());
        var experiment = await Assert.ThrowsAsync<ClientCallRefusedException>(() => client.GetGrain<IExperimentGrain>("exp-1").CancelAsync().AsTask());
        var health = await Assert.ThrowsAsync<ClientCallRefusedException>(() => client.GetGrain<IMeterGrain>("box-a").GetHealthAsync().AsTask());

        Assert.Contains("IManagementGrain", management.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP API", machine.Message, StringComparison.Ordinal);
        Assert.NotNull(experiment);
        Assert.NotNull(health);
        // The silo's own API still calls the management grain (it is not a client of the cluster).
        Assert.Equal(1, (await _lab.Silo.GetJsonAsync("/api/silos")).GetArrayLength());
        await host.StopAsync();
    }

    [Fact]
    public async Task Agent_EnrolledForBoxA_StoresAButNotBUntilEnrolledForB()
    {
        await EnrolAsync("box-a");

        using var ownBox = Agent("box-a", "spool-a", _lab.AgentTls());
        Assert.True(await ownBox.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, ownBox.Output);
        await StoredCapture.AssertExactlyAsync(_lab.DataSource, _lab.Silo, "box-a", _capture, Start);

        using var otherBox = Agent("box-b", "spool-b", _lab.AgentTls());
        await otherBox.WaitForOutputAsync($"host {LabCluster.AgentHost} is not enrolled for box box-b", TimeSpan.FromSeconds(60));
        Assert.False(otherBox.HasExited, otherBox.Output);
        Assert.Equal(0, await StoredFrames.CountAsync(_lab.DataSource, "box-b"));

        // Not the batches' fault: they wait in the spool and go through once an admin enrols the host.
        await EnrolAsync("box-b");
        Assert.True(await otherBox.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, otherBox.Output);
        await StoredCapture.AssertExactlyAsync(_lab.DataSource, _lab.Silo, "box-b", _capture, Start);
    }

    [Fact]
    public async Task Agent_NoDatabaseConnectionStringInItsEnvironment_StoresFrames()
    {
        await EnrolAsync("box-nodb");

        using var agent = Agent("box-nodb", "spool-nodb", _lab.AgentTls());

        Assert.DoesNotContain(agent.Environment, v => v.Key.StartsWith("ConnectionStrings", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(agent.Environment, v => v.Value?.Contains("Host=", StringComparison.OrdinalIgnoreCase) == true);
        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, agent.Output);
        await StoredCapture.AssertExactlyAsync(_lab.DataSource, _lab.Silo, "box-nodb", _capture, Start);
    }

    [Fact]
    public async Task Agent_GatewaysFromTheSilosHttpsApi_StoresFrames()
    {
        await EnrolAsync("box-api");

        // No gateway list: the agent asks the silo's API (over HTTPS, trusting the lab's CA only) where they are.
        using var agent = Agent("box-api", "spool-api", [.. _lab.AgentTls(), "--gateways-from", _lab.Url], gateway: false);

        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, agent.Output);
        await StoredCapture.AssertExactlyAsync(_lab.DataSource, _lab.Silo, "box-api", _capture, Start);
    }

    [Fact]
    public async Task Cli_OverHttps_TokenCreatedUsedAndRevoked()
    {
        var created = await FleetCli.RunAsync(["tokens", "create", "--role", "viewer", "--name", "wall-screen", "--url", _lab.Url, "--token", LabCluster.AdminToken], _lab.CliEnvironment);
        Assert.True(created.ExitCode == 0, created.Error);
        var token = created.Output.Trim();

        var read = await FleetCli.RunAsync(["machines", "list", "--url", _lab.Url, "--token", token], _lab.CliEnvironment);
        var write = await FleetCli.RunAsync(["machines", "add", "srv-x", "--socket", "box-x:1", "--url", _lab.Url, "--token", token], _lab.CliEnvironment);
        var listed = await FleetCli.RunAsync(["tokens", "list", "--url", _lab.Url, "--token", LabCluster.AdminToken], _lab.CliEnvironment);
        var revoked = await FleetCli.RunAsync(["tokens", "revoke", "wall-screen", "--url", _lab.Url, "--token", LabCluster.AdminToken], _lab.CliEnvironment);
        var after = await FleetCli.RunAsync(["machines", "list", "--url", _lab.Url, "--token", token], _lab.CliEnvironment);
        var untrusted = await FleetCli.RunAsync(["machines", "list", "--url", _lab.Url, "--token", LabCluster.AdminToken]);

        Assert.StartsWith("fleet_", token, StringComparison.Ordinal);
        Assert.True(read.ExitCode == 0, read.Error);
        Assert.Equal(1, write.ExitCode);
        Assert.Contains("needs role admin", write.Error, StringComparison.Ordinal);
        Assert.Contains("wall-screen", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, listed.Output, StringComparison.Ordinal);
        Assert.True(revoked.ExitCode == 0, revoked.Error);
        Assert.Equal(1, after.ExitCode);
        Assert.Contains("'wall-screen' was revoked", after.Error, StringComparison.Ordinal);
        // Without the lab's CA the CLI does not trust the silo's certificate: one line, no stack trace.
        Assert.Equal(1, untrusted.ExitCode);
        Assert.DoesNotContain("   at ", untrusted.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_SignedAndEnrolled_Registers_ASecondForTheSameMachineWaitsAndTakesOverWhenTheFirstStops()
    {
        var (exitCode, output, error) = await FleetCli.RunAsync(["agents", "allow", LabCluster.AgentHost, "--machine", "m-trust", "--url", _lab.Url, "--token", LabCluster.AdminToken], _lab.CliEnvironment);
        Assert.True(exitCode == 0, output + error);
        var first = Runner("m-trust");
        ManagedProcess? second = null;
        try
        {
            await first.WaitForOutputAsync("Registered as the runner of m-trust", TimeSpan.FromSeconds(60));
            second = Runner("m-trust");

            await second.WaitForOutputAsync($"machine m-trust already has a live runner on host {LabCluster.AgentHost}: this one waits", TimeSpan.FromSeconds(60));
            Assert.DoesNotContain("Registered as the runner", second.Output, StringComparison.Ordinal);
        }
        finally
        {
            // Killed: its session ends by the heartbeat timeout.
            first.Dispose();
        }

        using (second)
        {
            // The first is gone: the second takes the machine.
            await second.WaitForOutputAsync("Registered as the runner of m-trust", TimeSpan.FromSeconds(90));
        }
    }

    /// <summary>A runner for <paramref name="machine"/> with the lab certificate of <see cref="LabCluster.AgentHost"/>.</summary>
    private ManagedProcess Runner(string machine) => new(Binaries.Agent, [
        "--runner", "--machine", machine, "--gateway", $"127.0.0.1:{_lab.Silo.GatewayPort}", "--cluster-id", "e2e",
        "--rapl-root", Path.Combine(_directory, "no-rapl"), .. _lab.AgentTls(),
    ], new Dictionary<string, string>());

    /// <summary>An agent replaying the noisy capture into <paramref name="box"/> through the gateway, with nothing of the database in its environment.</summary>
    private ManagedProcess Agent(string box, string spool, params string[] tls) => Agent(box, spool, tls, gateway: true);

    private ManagedProcess Agent(string box, string spool, string[] extra, bool gateway)
    {
        var removed = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("ConnectionStrings", StringComparison.OrdinalIgnoreCase) || k.StartsWith("FLEET_TEST_POSTGRES", StringComparison.Ordinal));
        return new ManagedProcess(Binaries.Agent, [
            "--replay", _capture.CapturePath, "--box", box, "--start", Start.ToString("O", CultureInfo.InvariantCulture), "--rate", "max",
            .. gateway ? new[] { "--gateway", $"127.0.0.1:{_lab.Silo.GatewayPort}" } : Array.Empty<string>(),
            "--cluster-id", "e2e", "--spool", Path.Combine(_directory, spool), "--report-every", "1", .. extra,
        ], new Dictionary<string, string>(), removed);
    }

    private async Task EnrolAsync(string box)
    {
        var (exitCode, output, error) = await FleetCli.RunAsync(["agents", "allow", LabCluster.AgentHost, "--box", box, "--url", _lab.Url, "--token", LabCluster.AdminToken], _lab.CliEnvironment);
        Assert.True(exitCode == 0, output + error);
        Assert.Contains(box, output, StringComparison.Ordinal);
    }

    private async Task WaitForSiloOutputAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!_lab.Silo.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the silo never said '{text}':\n{_lab.Silo.Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>A plain Orleans client of the cluster on the silo's gateway, with a lab certificate or none at all.</summary>
    private IHost OrleansClient(X509Certificate2? certificate)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, _lab.Silo.GatewayPort));
            // One attempt, as the agent makes: a refused connection must end StartAsync, not be retried until the test's timeout.
            client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = "e2e";
                o.ServiceId = "e2e";
            });
            if (certificate is not null)
            {
                client.UseTls(certificate, o => o.AllowAnyRemoteCertificate());
            }
        });
        return builder.Build();
    }
}
