using System.Text.Json;
using Fleet.Cli.Commands;

namespace Fleet.Cli.Api;

/// <summary>
/// Where the silo's API is and the token for it: --url/--token, else FLEET_URL/FLEET_TOKEN,
/// else ~/.config/fleet/config.json (<c>{"url": "...", "token": "..."}</c>), else the local silo.
/// </summary>
internal sealed record ApiSettings(Uri BaseAddress, string? Token)
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static ApiSettings Resolve(string? url, string? token)
    {
        var file = ReadConfigFile();
        var chosenUrl = url ?? Environment.GetEnvironmentVariable("FLEET_URL") ?? file.Url ?? DefaultUrl;
        var chosenToken = token ?? Environment.GetEnvironmentVariable("FLEET_TOKEN") ?? file.Token;
        if (!Uri.TryCreate(chosenUrl, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"'{chosenUrl}' is not an http(s) URL of a Fleet silo");
        }

        return new ApiSettings(address, string.IsNullOrWhiteSpace(chosenToken) ? null : chosenToken);
    }

    /// <summary>~/.config/fleet/config.json (or under XDG_CONFIG_HOME), empty when absent.</summary>
    internal static ConfigFile ReadConfigFile()
    {
        var home = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        var path = Path.Combine(home, "fleet", "config.json");
        if (!File.Exists(path))
        {
            return new ConfigFile(null, null);
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), CliJsonContext.Default.ConfigFile) ?? new ConfigFile(null, null);
        }
        catch (JsonException error)
        {
            throw new CliException($"{path} is not valid JSON ({error.Message})");
        }
    }
}
