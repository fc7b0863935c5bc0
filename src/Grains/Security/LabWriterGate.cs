using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;
using Fleet.Grains.Abstractions.Security;
using Fleet.Storage.Enrolment;
using Fleet.Storage.Runs;
using Fleet.Trust.Certificates;

namespace Fleet.Grains.Security;

/// <summary>
/// The cluster with the lab's certificates: a write must carry a signature over
/// <see cref="WriterDigest"/> by a certificate of the lab's authority, and an agent's host must
/// be enrolled for the box. The signature, not the connection it arrived on, is the proof, so no
/// client can write for another by claiming its name, and the rule holds on every path.
/// </summary>
public sealed class LabWriterGate : IWriterGate
{
    /// <summary>Certificates whose chain was checked, by their SHA-256; cleared when full.</summary>
    private const int MaxCertificates = 256;

    /// <summary>How long a "yes, enrolled" is believed before the table is read again (a withdrawal holds within this).</summary>
    private static readonly TimeSpan EnrolmentFreshness = TimeSpan.FromSeconds(5);

    private readonly LabTrust _trust;
    /// <summary>How far a runner's hello may be from the silo's clock: runners' clocks drift, a replayed hello must not live forever.</summary>
    private static readonly TimeSpan HelloLifetime = TimeSpan.FromMinutes(10);

    private readonly EnrolmentStore _enrolments;
    private readonly RunnerEnrolmentStore _runners;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Signer> _signers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Host, string Box), DateTimeOffset> _enrolled = new();

    public LabWriterGate(LabTrust trust, EnrolmentStore enrolments, RunnerEnrolmentStore runners, TimeProvider time)
    {
        _trust = trust;
        _enrolments = enrolments;
        _runners = runners;
        _time = time;
    }

    public ValueTask CheckAsync(string boxId, FrameBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return CheckAsync(boxId, batch.Signature, () => WriterDigest.Of(boxId, batch), "frames");
    }

    public ValueTask CheckAsync(string boxId, AgentHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        return CheckAsync(boxId, health.Signature, () => WriterDigest.Of(boxId, health), "a health report");
    }

    public async ValueTask<string> CheckAsync(RunnerHello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        var what = $"the runner of machine {hello.Machine}";
        if (hello.Signature is null)
        {
            throw new RequestRejectedException($"{what} sent no signature: this cluster takes runners only with a certificate of the lab's authority (--tls-cert)");
        }

        Signer signer;
        try
        {
            signer = Verify(hello.Signature, () => WriterDigest.Of(hello), what);
        }
        catch (InvalidBatchException error)
        {
            throw new RequestRejectedException(error.Message);
        }

        if ((_time.GetUtcNow() - hello.SentAt).Duration() > HelloLifetime)
        {
            throw new RequestRejectedException($"{what}: the hello was sent at {hello.SentAt:O}, more than {HelloLifetime.TotalMinutes:0} minutes from the cluster's clock (replayed, or the host's clock is far off: check NTP)");
        }

        var host = signer.Identity.Name;
        if (signer.Identity.Role != CertificateRole.Silo
            && !await StorageCalls.RunAsync(() => _runners.IsEnrolledAsync(host, hello.Machine)).ConfigureAwait(false))
        {
            throw new RequestRejectedException($"host {host} is not enrolled to run machine {hello.Machine}: an admin runs `fleet agents allow {host} --machine {hello.Machine}`");
        }

        return host;
    }

    private Signer Verify(WriterSignature signature, Func<byte[]> digest, string what)
    {
        var signer = Identify(signature.Certificate);
        bool verified;
        lock (signer.Gate)
        {
            // One key object serves every meter this writer feeds; it is not for two threads at once.
            verified = signer.Key.VerifyHash(digest(), signature.Signature);
        }

        if (!verified)
        {
            throw new InvalidBatchException($"{what}: the signature of {signer.Identity} does not match (changed after signing?)");
        }

        return signer;
    }

    private async ValueTask CheckAsync(string boxId, WriterSignature? signature, Func<byte[]> digest, string what)
    {
        if (signature is null)
        {
            throw new InvalidBatchException($"{what} for box {boxId} carry no signature: this cluster takes writes only from agents with a certificate of the lab's authority (--tls-cert)");
        }

        var signer = Verify(signature, digest, $"{what} for box {boxId}");

        if (signer.Identity.Role == CertificateRole.Silo)
        {
            // A silo signs only what its HTTP API accepted from an experimenter or admin (imports).
            return;
        }

        var host = signer.Identity.Name;
        var now = _time.GetUtcNow();
        if (_enrolled.TryGetValue((host, boxId), out var checkedAt) && now - checkedAt < EnrolmentFreshness)
        {
            return;
        }

        if (!await StorageCalls.RunAsync(() => _enrolments.IsEnrolledAsync(host, boxId)).ConfigureAwait(false))
        {
            _enrolled.TryRemove((host, boxId), out _);
            throw new AgentNotEnrolledException($"host {host} is not enrolled for box {boxId}: an admin runs `fleet agents allow {host} --box {boxId}`");
        }

        _enrolled[(host, boxId)] = now;
    }

    private Signer Identify(byte[] der)
    {
        var key = Convert.ToHexString(SHA256.HashData(der));
        var now = _time.GetUtcNow();
        if (_signers.TryGetValue(key, out var known) && now < known.NotAfter)
        {
            return known;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException error)
        {
            throw new InvalidBatchException($"the writer's certificate cannot be read ({error.Message})");
        }

        using (certificate)
        {
            var identity = _trust.Identify(certificate, out var reason) ?? throw new InvalidBatchException($"refused: {reason}");
            var publicKey = certificate.GetECDsaPublicKey() ?? throw new InvalidBatchException($"the certificate of {identity} has no ECDSA key");
            if (_signers.Count >= MaxCertificates)
            {
                _signers.Clear();
            }

            var signer = new Signer(identity, publicKey, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
            _signers[key] = signer;
            return signer;
        }
    }

    private sealed record Signer(LabIdentity Identity, ECDsa Key, DateTimeOffset NotAfter)
    {
        public Lock Gate { get; } = new();
    }
}
