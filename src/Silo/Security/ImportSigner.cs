using System.Security.Cryptography.X509Certificates;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Security;

namespace Fleet.Silo.Security;

/// <summary>
/// Imports through the HTTP API reach the meter as this silo's writes: the API's roles decided
/// the caller may import (experimenter or admin, audited), and the silo signs the batch with its
/// own lab certificate, which the meter's gate accepts for any box. Without TLS (development)
/// batches go unsigned, as the open gate expects.
/// </summary>
internal sealed class ImportSigner
{
    private readonly X509Certificate2? _certificate;

    public ImportSigner(X509Certificate2? certificate) => _certificate = certificate;

    public FrameBatch Sign(string boxId, FrameBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_certificate is null)
        {
            return batch;
        }

        using var key = _certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the silo's certificate has no ECDSA private key");
        return batch with { Signature = new WriterSignature(_certificate.RawData, key.SignHash(WriterDigest.Of(boxId, batch))) };
    }
}
