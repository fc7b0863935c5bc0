namespace Fleet.Cli.Api;

/// <summary>
/// ~/.config/fleet/config.json: the silo's URL, the API token, and the machine `fleet run`
/// measures when given no --machine (this host's own); all optional.
/// </summary>
internal sealed record ConfigFile(string? Url, string? Token, string? Machine = null);
