using System.CommandLine;
using Fleet.Api.Contracts.Agents;
using Fleet.OmegaWatt.Naming;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet agents</c>: which USB host may write which boxes (admin; every change is audited).</summary>
internal static class AgentsCommand
{
    public static Command Create()
    {
        var host = new Argument<string>("HOST") { Description = $"The host's name as in its certificate (fleet certs issue --agent HOST; {IdRule.Description})." };
        var boxes = new Option<string[]>("--box") { Description = "A box the host's agent may write; repeat for several.", Required = true, HelpName = "BOX", AllowMultipleArgumentsPerToken = false };
        var allow = new Command("allow", """
            Let a USB host's agent write these boxes (its other boxes stay). Until then the cluster
            refuses its frames for them, and the agent keeps them spooled.

            Examples:
              fleet agents allow usb-host-3 --box omegawatt-a
              fleet agents allow usb-host-4 --box omegawatt-b --box omegawatt-c
            """)
        { host, boxes };
        allow.SetAction((parse, cancellationToken) => ChangeAsync(parse, host, parse.GetValue(boxes) ?? [], allowing: true, cancellationToken));

        var denyHost = new Argument<string>("HOST") { Description = "The host's name as in its certificate." };
        var denyBoxes = new Option<string[]>("--box") { Description = "A box to withdraw; repeat for several. Without --box: every box of the host.", HelpName = "BOX", AllowMultipleArgumentsPerToken = false };
        var deny = new Command("deny", """
            Withdraw boxes from a USB host's agent (all of them without --box): its next batches for them are refused.

            Examples:
              fleet agents deny usb-host-3 --box omegawatt-a
              fleet agents deny usb-host-3
            """)
        { denyHost, denyBoxes };
        deny.SetAction((parse, cancellationToken) => ChangeAsync(parse, denyHost, parse.GetValue(denyBoxes) ?? [], allowing: false, cancellationToken));

        var only = new Option<string?>("--host") { Description = "Only this host's boxes.", HelpName = "HOST" };
        var list = new Command("list", """
            List which host may write which box, since when and on whose word.

            Examples:
              fleet agents list
              fleet agents list --host usb-host-3 --json
            """)
        { only };
        list.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("agents list", async () =>
        {
            using var client = GlobalOptions.Client(parse);
            Print(await client.ListEnrolmentsAsync(parse.GetValue(only), cancellationToken).ConfigureAwait(false), parse.GetValue(GlobalOptions.Json));
            return 0;
        }));

        return new Command("agents", """
            Which USB host (by its lab certificate) may write which boxes.

            Examples:
              fleet agents allow usb-host-3 --box omegawatt-a
              fleet agents list
            """)
        { allow, deny, list };
    }

    private static Task<int> ChangeAsync(ParseResult parse, Argument<string> host, string[] boxes, bool allowing, CancellationToken cancellationToken) =>
        CommandRunner.RunAsync(allowing ? "agents allow" : "agents deny", async () =>
        {
            var name = parse.GetValue(host)!;
            if (!IdRule.IsValid(name))
            {
                throw new CliException(IdRule.Invalid(name, "host"), 2);
            }

            using var client = GlobalOptions.Client(parse);
            Print(await client.ChangeEnrolmentAsync(name, allowing, new EnrolmentRequest(boxes), cancellationToken).ConfigureAwait(false), parse.GetValue(GlobalOptions.Json));
            return 0;
        });

    private static void Print(EnrolmentResponse[] enrolments, bool json)
    {
        if (json)
        {
            Console.WriteLine(CliJson.Write(enrolments));
            return;
        }

        Console.WriteLine($"{"HOST",-20} {"BOX",-20} {"SINCE (UTC)",-20} BY");
        foreach (var row in enrolments)
        {
            Console.WriteLine($"{row.Host,-20} {row.Box,-20} {row.EnrolledAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),-20} {row.EnrolledBy}");
        }
    }
}
