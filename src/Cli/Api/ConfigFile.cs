namespace Fleet.Cli.Api;

/// <summary>~/.config/fleet/config.json: the silo's URL and the API token, both optional.</summary>
internal sealed record ConfigFile(string? Url, string? Token);
