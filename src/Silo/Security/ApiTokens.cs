using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Fleet.Silo.Security;

/// <summary>What an API token is: <c>fleet_</c> and 256 random bits (base64url), kept only as its SHA-256.</summary>
internal static class ApiTokens
{
    public const string Prefix = "fleet_";

    public static string Create() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
