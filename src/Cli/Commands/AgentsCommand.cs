using System.CommandLine;
using Fleet.Api.Contracts.Agents;
using Fleet.OmegaWatt.Naming;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet agents</c>: which USB host may write which boxes, and which host's runner may run experiments as which machine (admin; every change is audited).</summary>
internal static class AgentsCommand
{
    public static Command Create()
    {
        var host = new Argument<string>("HOST") { Description = $"The host's name as in its certificate (fleet certs issue --agent HOST; {IdRule.Description})." };
        var boxes = new Option<string[]>("--box") { Description = "A box the host's agent may write; repeat for several.", HelpName = "BOX", AllowMultipleArgumentsPerToken = false };
        var machines = new Option<string[]>("--machine") { Description = "A machine the host's runner may run experiments as; repeat for several.", HelpName = "NAME", AllowMultipleArgumentsPerToken = false };
        var allow = new Command("allow", """
            Let a USB host's agent write these boxes, or a host's runner run experiments as these
            machines (its other enrolments stay). Until then the cluster refuses its frames for those
            boxes (the agent keeps them spooled) and its runner for those machines.

            Examples:
              fleet agents allow usb-host-3 --box omegawatt-a
              fleet agents allow usb-host-4 --box omegawatt-b --box omegawatt-c
              fleet agents allow srv-1 --machine srv-1
            """)
        { host, boxes, machines };
        allow.Validators.Add(result =>
        {
            if ((result.GetValue(boxes) ?? []).Length == 0 && (result.GetValue(machines) ?? []).Length == 0)
            {
                result.AddError("name what to allow: --box BOX (an agent's box) or --machine NAME (a runner's machine)");
            }
        });
        allow.SetAction((parse, cancellationToken) => ChangeAsync(parse, host, parse.GetValue(boxes) ?? [], parse.GetValue(machines) ?? [], allowing: true, cancellationToken));

        var denyHost = new Argument<string>("HOST") { Description = "The host's name as in its certificate." };
        var denyBoxes = new Option<string[]>("--box") { Description = "A box to withdraw; repeat for several. Without --box and --machine: everything of the host.", HelpName = "BOX", AllowMultipleArgumentsPerToken = false };
        var denyMachines = new Option<string[]>("--machine") { Description = "A machine to withdraw from the host's runner; repeat for several.", HelpName = "NAME", AllowMultipleArgumentsPerToken = false };
        var deny = new Command("deny", """
            Withdraw boxes or machines from a host (everything without --box and --machine): its next
            batches for those boxes, and its runner's calls for those machines, are refused.

            Examples:
              fleet agents deny usb-host-3 --box omegawatt-a
              fleet agents deny srv-1 --machine srv-1
              fleet agents deny usb-host-3
            """)
        { denyHost, denyBoxes, denyMachines };
        deny.SetAction((parse, cancellationToken) => ChangeAsync(parse, denyHost, parse.GetValue(denyBoxes) ?? [], parse.GetValue(denyMachines) ?? [], allowing: false, cancellationToken));

        var only = new Option<string?>("--host") { Description = "Only this host's boxes.", HelpName = "HOST" };
        var list = new Command("list", """
            List which host may write which box or run as which machine, since when and on whose word.

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
            Which USB host (by its lab certificate) may write which boxes, and which host's runner may run experiments as which machine.

            Examples:
              fleet agents allow usb-host-3 --box omegawatt-a
              fleet agents allow srv-1 --machine srv-1
              fleet agents list
            """)
        { allow, deny, list };
    }

    private static Task<int> ChangeAsync(ParseResult parse, Argument<string> host, string[] boxes, string[] machines, bool allowing, CancellationToken cancellationToken) =>
        CommandRunner.RunAsync(allowing ? "agents allow" : "agents deny", async () =>
        {
            var name = parse.GetValue(host)!;
            if (!IdRule.IsValid(name))
            {
                throw new CliException(IdRule.Invalid(name, "host"), 2);
            }

            using var client = GlobalOptions.Client(parse);
            Print(await client.ChangeEnrolmentAsync(name, allowing, new EnrolmentRequest(boxes, machines), cancellationToken).ConfigureAwait(false), parse.GetValue(GlobalOptions.Json));
            return 0;
        });

    private static void Print(EnrolmentResponse[] enrolments, bool json)
    {
        if (json)
        {
            Console.WriteLine(CliJson.Write(enrolments));
            return;
        }

        Console.WriteLine($"{"HOST",-20} {"MAY",-28} {"SINCE (UTC)",-20} BY");
        foreach (var row in enrolments)
        {
            var may = row.Machine is { } machine ? $"run as machine {machine}" : $"write box {row.Box}";
            Console.WriteLine($"{row.Host,-20} {may,-28} {row.EnrolledAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),-20} {row.EnrolledBy}");
        }
    }
}
