using System.CommandLine;
using System.Globalization;
using System.Text;
using Fleet.Api.Contracts.Runs;
using Fleet.OmegaWatt.Naming;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet sockets identify M</c>: find which socket a machine is plugged into from power alone.</summary>
internal static class SocketsCommand
{
    /// <summary>Candidates shown in the table; --json has them all.</summary>
    private const int Shown = 8;

    public static Command Create()
    {
        var machine = new Argument<string>("MACHINE") { Description = $"The machine to find (its runner must be alive; {IdRule.Description})." };
        var box = new Option<string?>("--box") { Description = "Only this box's sockets (default: every box).", HelpName = "BOX" };
        var seed = new Option<int?>("--seed") { Description = "The load pattern's seed (default: drawn; give one to repeat a run).", HelpName = "N" };
        var apply = new Option<bool>("--apply") { Description = "Assign the proposed socket(s) to the machine from now (admin)." };
        var identify = new Command("identify", """
            Find the socket(s) a machine is plugged into: its runner drives an on/off CPU load for
            about 30 s and the socket whose power follows it is proposed. Exit code 0 with a proposal,
            1 when none is clear (the refusal says why).

            Examples:
              fleet sockets identify srv-1
              fleet sockets identify srv-1 --box omegawatt-a --apply
              fleet sockets identify srv-1 --seed 42 --json
            """)
        {
            machine, box, seed, apply,
        };
        identify.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("sockets identify", async () =>
        {
            var name = parse.GetValue(machine)!;
            if (!IdRule.IsValid(name))
            {
                throw new CliException(IdRule.Invalid(name, "machine name"), 2);
            }

            using var client = GlobalOptions.Client(parse);
            await Console.Error.WriteLineAsync($"fleet sockets identify: driving a load pattern on {name} for about 30 s…").ConfigureAwait(false);
            var outcome = await client.IdentifyAsync(name, new IdentifyRequest(parse.GetValue(box), parse.GetValue(seed), parse.GetValue(apply)), cancellationToken).ConfigureAwait(false);
            Console.Write(parse.GetValue(GlobalOptions.Json) ? CliJson.Write(outcome) + "\n" : Text(outcome));
            return outcome.Proposed.Count > 0 ? 0 : 1;
        }));

        return new Command("sockets", """
            A machine's sockets, found from power alone.

            Example:
              fleet sockets identify srv-1
            """)
        {
            identify,
        };
    }

    internal static string Text(IdentifyResponse outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"{outcome.Machine}: load pattern seed {outcome.Seed}, {outcome.Slots} slots of {outcome.SlotSeconds:0.###} s, {outcome.From.UtcDateTime:HH:mm:ss} → {outcome.To.UtcDateTime:HH:mm:ss} UTC");
        output.AppendLine(CultureInfo.InvariantCulture, $"  {"SOCKET",-24} {"CORRELATION",11} {"ON W",9} {"OFF W",9}");
        var proposed = outcome.Proposed.Select(p => (p.Box, p.Socket)).ToHashSet();
        foreach (var c in outcome.Candidates.Take(Shown))
        {
            var mark = proposed.Contains((c.Box, c.Socket)) ? "  ← proposed" : string.Empty;
            output.AppendLine(CultureInfo.InvariantCulture, $"  {$"{c.Box}:{c.Socket}",-24} {c.Correlation,11:+0.000;-0.000;0.000} {c.OnWatts,9:F1} {c.OffWatts,9:F1}{mark}");
        }

        if (outcome.Candidates.Count > Shown)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"  … {outcome.Candidates.Count - Shown} more (--json for all)");
        }

        if (outcome.Proposed.Count == 0)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"no socket proposed: {outcome.Refusal ?? "no socket followed the load clearly"}");
            return output.ToString();
        }

        var sockets = string.Join(" and ", outcome.Proposed.Select(p => $"{p.Box}:{p.Socket}"));
        output.AppendLine(CultureInfo.InvariantCulture, $"proposed: {outcome.Machine} on {sockets}");
        output.AppendLine(outcome.Applied
            ? $"assigned: {outcome.Machine} is measured on {sockets} from now"
            : $"to assign it: fleet machines add {outcome.Machine} {string.Join(" ", outcome.Proposed.Select(p => $"--socket {p.Box}:{p.Socket}"))} (or identify again with --apply)");
        return output.ToString();
    }
}
