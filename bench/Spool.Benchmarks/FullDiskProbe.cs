using System.Diagnostics;

namespace Fleet.Benchmarks.Spooling;

/// <summary>
/// Operational fit, measured: each spool on a real 256 KiB tmpfs that fills up (6-plug
/// batches): what the append that does not fit does, whether appends resume once 10 batches are
/// acknowledged, and what a reopen then reads back. Needs root (it mounts): <c>-- --full-disk</c>.
/// </summary>
public static class FullDiskProbe
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static void Run()
    {
        Console.WriteLine("| spool | accepted before full | the append that does not fit | after 10 acknowledged | reopened |");
        Console.WriteLine("|---|---:|---|---|---|");
        foreach (var kind in Enum.GetValues<SpoolKind>())
        {
            var mount = Directory.CreateTempSubdirectory("fleet-spool-probe-").FullName;
            Exec("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount);
            try
            {
                Console.WriteLine(Probe(kind, Path.Combine(mount, "spool")));
            }
            finally
            {
                Exec("umount", "-l", mount);
                Directory.Delete(mount, recursive: true);
            }
        }
    }

    private static string Probe(SpoolKind kind, string directory)
    {
        // Small segments (5 batches; 64 KiB for FasterLog), so acknowledgements can free space on so small a disk.
        var spool = BenchSpools.Open(kind, directory, small: true);
        var accepted = new List<long>();
        long sequence = 0;
        string refusal;
        while (true)
        {
            var outcome = Attempt(() => spool.Append(BenchBatches.Create(++sequence, 6)) ? "ok" : "returned false (counted)");
            if (outcome != "ok")
            {
                refusal = outcome;
                break;
            }

            accepted.Add(sequence);
            if (sequence >= 500)
            {
                return $"| {kind} | never full | | | |";
            }
        }

        var full = accepted.Count;
        var acknowledged = accepted.Take(10).ToHashSet();
        var resumed = Attempt(() =>
        {
            for (var k = 0; k < 10; k++)
            {
                spool.Acknowledge(spool.Peek() ?? throw new InvalidOperationException("nothing to read"));
            }

            accepted.RemoveRange(0, 10);
            if (!spool.Append(BenchBatches.Create(++sequence, 6)))
            {
                return "append still refused";
            }

            accepted.Add(sequence);
            return "append succeeds";
        });
        var closed = Attempt(() =>
        {
            spool.Dispose();
            return "ok";
        });
        var reopened = Attempt(() =>
        {
            using var again = BenchSpools.Open(kind, directory, small: true);
            var read = new List<long>();
            while (read.Count < 1_000 && again.Peek() is { } batch)
            {
                read.Add(batch.Sequence);
                again.Acknowledge(batch);
            }

            var missing = accepted.Except(read).Count();
            var resent = read.Count(acknowledged.Contains);
            var unknown = read.Count(s => !acknowledged.Contains(s) && !accepted.Contains(s));
            var ordered = read.SequenceEqual(read.Order());
            return missing == 0 && unknown == 0 && ordered
                ? $"all {accepted.Count} pending, in order{(resent > 0 ? $", plus {resent} acknowledged ones again (dropped by the meter)" : "")}"
                : $"{read.Count} read back: {missing} pending missing, {unknown} never accepted, {(ordered ? "in order" : "OUT OF ORDER")}";
        });
        return $"| {kind} | {full} | {refusal} | {resumed}{(closed == "ok" ? "" : $"; dispose: {closed}")} | {reopened} |";
    }

    /// <summary>Runs <paramref name="action"/>, describing an exception or a hang instead of propagating it.</summary>
    private static string Attempt(Func<string> action)
    {
        var task = Task.Run(action);
        try
        {
            return task.Wait(Patience) ? task.Result : $"hung (no answer within {Patience.TotalSeconds} s)";
        }
        catch (AggregateException error)
        {
            var inner = error.InnerException!;
            return $"threw {inner.GetType().Name}: {inner.Message.Split('\n')[0]}";
        }
    }

    private static void Exec(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {errors}");
        }
    }
}
