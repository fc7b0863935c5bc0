using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Trust.Certificates;

/// <summary>Reads and writes the PEM files certificates and keys live in; every failure is one sentence naming the file.</summary>
public static class PemFiles
{
    /// <summary>A certificate and its private key, from two PEM files.</summary>
    public static X509Certificate2 LoadWithKey(string certificateFile, string keyFile)
    {
        RequireFile(certificateFile, "certificate");
        RequireFile(keyFile, "private key");
        try
        {
            return X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (CryptographicException error)
        {
            throw new InvalidDataException($"{certificateFile} and {keyFile} are not a PEM certificate and its private key ({error.Message})", error);
        }
    }

    /// <summary>A certificate alone (the lab's CA, which every silo and agent trusts).</summary>
    public static X509Certificate2 LoadCertificate(string certificateFile)
    {
        RequireFile(certificateFile, "certificate");
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(certificateFile));
        }
        catch (CryptographicException error)
        {
            throw new InvalidDataException($"{certificateFile} is not a PEM certificate ({error.Message})", error);
        }
    }

    /// <summary>Writes the certificate (readable by all) and its private key (owner only, 0600) as PEM.</summary>
    public static void Write(X509Certificate2 certificate, string certificateFile, string keyFile)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the certificate has no ECDSA private key");
        // The key first: an existing key is never overwritten (IOException), and then neither is its certificate.
        WritePrivate(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem() + "\n");
    }

    private static void WritePrivate(string path, string text)
    {
        // Created with owner-only permissions, never readable by others even for a moment.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    private static void RequireFile(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{what} file not found: {path}", path);
        }
    }
}
