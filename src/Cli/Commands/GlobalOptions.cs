using System.CommandLine;
using Fleet.Cli.Api;
using Fleet.OmegaWatt.Time;

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

    /// <summary>An ISO 8601 time (no offset means UTC, as the silo reads it), or 'now'.</summary>
    public static DateTimeOffset ParseTime(string text, string option)
    {
        if (text.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            return DateTimeOffset.UtcNow;
        }

        return IsoTime.TryParse(text, out var value)
            ? value
            : throw new CliException($"{option} '{text}' is not an ISO 8601 time (example: {IsoTime.Example}; no offset means UTC)");
    }

    /// <summary>--from and --to as a window, or the one-line reason they are not one.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) ParseWindow(string from, string to)
    {
        var start = ParseTime(from, "--from");
        var end = ParseTime(to, "--to");
        return end <= start
            ? throw new CliException($"--from ({IsoTime.Format(start)}) must be before --to ({IsoTime.Format(end)})")
            : (start, end);
    }
}
