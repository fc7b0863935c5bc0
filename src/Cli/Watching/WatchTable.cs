using System.Globalization;
using System.Text;
using Fleet.Api.Contracts.Live;
using Fleet.Cli.Reports;

namespace Fleet.Cli.Watching;

/// <summary>Renders what the silo measures now (<see cref="LiveResponse"/>) as the plain-text tables <c>fleet watch</c> prints or redraws.</summary>
internal static class WatchTable
{
    public static string Text(LiveResponse snapshot, double intervalSeconds, bool live)
    {
        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture,
            $"fleet watch  {snapshot.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC{(live ? $"  (every {intervalSeconds:0.##} s, Ctrl-C to stop)" : string.Empty)}");
        output.AppendLine();
        if (snapshot.Boxes.Count == 0)
        {
            output.AppendLine("no box has sent a frame yet");
            return output.ToString();
        }

        output.AppendLine(CultureInfo.InvariantCulture, $"{"BOX",-16} {"SOURCE",-16} {"FRAMES/S",9} {"MISSING",9} {"BAD CHECK",9} {"LAST FRAME",15}");
        foreach (var box in snapshot.Boxes)
        {
            output.AppendLine(CultureInfo.InvariantCulture,
                $"{box.Box,-16} {SourceName.Short(box.AgentHost),-16} {box.FramesPerSecond,9:F1} {box.FramesMissingById,9} {box.FramesBadCheck,9} {Age(box.LastFrameAgeSeconds),15}");
        }

        output.AppendLine();
        var mean = $"MEAN {snapshot.MeanSeconds} s W";
        output.AppendLine(CultureInfo.InvariantCulture, $"{"BOX",-16} {"SOCKET",6} {"MACHINE",-16} {"NOW W",9} {mean,13}");
        foreach (var box in snapshot.Boxes)
        {
            foreach (var socket in box.Sockets)
            {
                output.AppendLine(CultureInfo.InvariantCulture,
                    $"{box.Box,-16} {socket.Socket,6} {socket.Machine ?? "-",-16} {Watts(socket.PowerWatts),9} {Watts(socket.MeanWatts),13}");
            }
        }

        if (snapshot.Machines.Count > 0)
        {
            output.AppendLine();
            output.AppendLine(CultureInfo.InvariantCulture, $"{"MACHINE",-16} {"SOCKETS",-23} {"NOW W",9} {mean,13}");
            foreach (var machine in snapshot.Machines)
            {
                output.AppendLine(CultureInfo.InvariantCulture,
                    $"{machine.Machine,-16} {string.Join(' ', machine.Sockets),-23} {Watts(machine.PowerWatts),9} {Watts(machine.MeanWatts),13}");
            }
        }

        return output.ToString();
    }

    private static string Watts(double? watts) => watts is { } w ? w.ToString("F1", CultureInfo.InvariantCulture) : "-";

    private static string Age(double? seconds) => seconds is { } age ? Units.Duration(age) + " ago" : "never";
}
