using System.CommandLine;
using Fleet.Cli.Api;
using Fleet.Cli.Parsing;
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

    /// <summary>Any form <see cref="TimeInput"/> reads: ISO 8601, 22:10, Unix seconds, -10m, now, today, yesterday.</summary>
    public static DateTimeOffset ParseTime(string text, string option) => TimeInput.Parse(text, option);

    /// <summary>--from and --to as a window (--to defaults to now), or the one-line reason they are not one.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) ParseWindow(string from, string? to)
    {
        var start = ParseTime(from, "--from");
        var end = to is null ? DateTimeOffset.UtcNow : ParseTime(to, "--to");
        return end <= start
            ? throw new CliException($"--from ({IsoTime.Format(start)}) must be before --to ({IsoTime.Format(end)})")
            : (start, end);
    }

    /// <summary>A --from option: a TIME in any form people type.</summary>
    public static Option<string?> From(string what = "Window start") =>
        new("--from") { Description = $"{what}: {TimeInput.Forms}.", HelpName = "TIME" };

    /// <summary>A --to option: the window's end, exclusive, now by default.</summary>
    public static Option<string?> To() =>
        new("--to") { Description = "Window end (exclusive), any form --from takes; default now.", HelpName = "TIME" };

    /// <summary>The one output option: -o/--out FILE everywhere a command writes a file.</summary>
    public static Option<string?> Out(string description) =>
        new("--out", "-o") { Description = description, HelpName = "FILE" };

    /// <summary>Refuses --json on a command that has nothing to print as JSON, rather than ignoring it.</summary>
    public static void RefuseJson(Command command, string why)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(Json))
            {
                result.AddError($"--json does not apply to 'fleet {command.Name}': {why}");
            }
        });
    }
}
