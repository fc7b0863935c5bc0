using System.CommandLine;
using System.Globalization;
using Fleet.Cli.Api;

namespace Fleet.Cli.Commands;

/// <summary>Options every command that talks to the silo shares, and parsing helpers for what users type.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Url = new("--url")
    {
        Description = $"The silo's API (default: FLEET_URL, ~/.config/fleet/config.json, then {ApiSettings.DefaultUrl}).",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "API token (default: FLEET_TOKEN or ~/.config/fleet/config.json).",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON for scripts instead of a table.",
        Recursive = true,
    };

    public static FleetApiClient Client(ParseResult parse) =>
        new(ApiSettings.Resolve(parse.GetValue(Url), parse.GetValue(Token)));

    /// <summary>An ISO 8601 time (no offset means UTC), or 'now'.</summary>
    public static DateTimeOffset ParseTime(string text, string option)
    {
        if (text.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            return DateTimeOffset.UtcNow;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new CliException($"{option} '{text}' is not an ISO 8601 time (example: 2026-11-25T10:00:00Z; no offset means UTC)");
    }

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
