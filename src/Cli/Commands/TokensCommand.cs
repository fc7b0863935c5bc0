using System.CommandLine;
using Fleet.Api.Contracts.Tokens;
using Fleet.OmegaWatt.Naming;
using Fleet.OmegaWatt.Time;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet tokens</c>: the HTTP API's tokens and their roles (admin).</summary>
internal static class TokensCommand
{
    public static Command Create()
    {
        var role = new Option<string>("--role") { Description = "viewer (reads, /metrics), experimenter (also experiments, marks, imports) or admin (also machines, sockets, enrolment, tokens).", Required = true };
        role.AcceptOnlyFromAmong("viewer", "experimenter", "admin");
        var name = new Option<string>("--name") { Description = $"Who or what holds it, e.g. alice or grafana ({IdRule.Description}).", Required = true };
        var create = new Command("create", """
            Create an API token with a role. The token is printed once: the silo keeps only its hash.

            Examples:
              fleet tokens create --role experimenter --name alice
              FLEET_TOKEN=$(fleet tokens create --role viewer --name wall-screen --json | jq -r .token)
            """)
        { role, name };
        create.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("tokens create", async () =>
        {
            using var client = GlobalOptions.Client(parse);
            var created = await client.CreateTokenAsync(new CreateTokenRequest(parse.GetValue(name), parse.GetValue(role)), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(CliJson.Write(created));
                return 0;
            }

            Console.WriteLine(created.Token);
            await Console.Error.WriteLineAsync($"token '{created.Name}' ({created.Role}) created; it is shown only now: give it to its holder (FLEET_TOKEN, --token or \"token\" in ~/.config/fleet/config.json)").ConfigureAwait(false);
            return 0;
        }));

        var list = new Command("list", """
            List the API tokens (never their text): name, role, who created them, when, revoked when.

            Examples:
              fleet tokens list
              fleet tokens list --json
            """);
        list.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("tokens list", async () =>
        {
            using var client = GlobalOptions.Client(parse);
            var tokens = await client.ListTokensAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(CliJson.Write(tokens));
                return 0;
            }

            Console.WriteLine($"{"NAME",-20} {"ROLE",-13} {"CREATED (UTC)",-20} {"BY",-16} REVOKED (UTC)");
            foreach (var token in tokens)
            {
                Console.WriteLine($"{token.Name,-20} {token.Role,-13} {Short(token.CreatedAt),-20} {token.CreatedBy,-16} {(token.RevokedAt is { } at ? Short(at) : "-")}");
            }

            return 0;
        }));

        var revokedName = new Argument<string>("NAME") { Description = "The token's name." };
        var revoke = new Command("revoke", """
            Revoke a token at once: every silo refuses it from the next request on (401).

            Example:
              fleet tokens revoke alice
            """)
        { revokedName };
        revoke.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("tokens revoke", async () =>
        {
            using var client = GlobalOptions.Client(parse);
            var revoked = await client.RevokeTokenAsync(parse.GetValue(revokedName)!, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(parse.GetValue(GlobalOptions.Json) ? CliJson.Write(revoked) : $"token '{revoked.Name}' ({revoked.Role}) revoked at {IsoTime.Format(revoked.RevokedAt ?? DateTimeOffset.UtcNow)}");
            return 0;
        }));

        return new Command("tokens", """
            API tokens and their roles: viewer, experimenter, admin (admin only).

            Examples:
              fleet tokens create --role viewer --name wall-screen
              fleet tokens revoke wall-screen
            """)
        { create, list, revoke };
    }

    private static string Short(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
