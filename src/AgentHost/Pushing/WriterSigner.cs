using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;
using Fleet.Grains.Abstractions.Security;

namespace Fleet.AgentHost.Pushing;

/// <summary>
/// Signs what the agent writes to a box with its lab certificate's key, so the meter knows which
/// host wrote it (and checks that host's enrolment) whatever gateway carried it. Batches are
/// signed when sent, not spooled signed: a renewed certificate signs what waited in the spool.
/// </summary>
public sealed class WriterSigner : IDisposable
{
    private readonly byte[] _certificate;
    private readonly ECDsa _key;
    private readonly Lock _gate = new();

    public WriterSigner(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        _certificate = certificate.RawData;
        _key = certificate.GetECDsaPrivateKey() ?? throw new InvalidDataException($"the certificate '{certificate.Subject}' has no ECDSA private key (fleet certs issue makes one)");
    }

    public FrameBatch Sign(string boxId, FrameBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return batch with { Signature = Signature(WriterDigest.Of(boxId, batch)) };
    }

    public AgentHealth Sign(string boxId, AgentHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        return health with { Signature = Signature(WriterDigest.Of(boxId, health)) };
    }

    public RunnerHello Sign(RunnerHello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        return hello with { Signature = Signature(WriterDigest.Of(hello)) };
    }

    public void Dispose() => _key.Dispose();

    private WriterSignature Signature(byte[] digest)
    {
        // The pusher and the health reports sign from two loops; one key object is not for two threads at once.
        lock (_gate)
        {
            return new WriterSignature(_certificate, _key.SignHash(digest));
        }
    }
}
