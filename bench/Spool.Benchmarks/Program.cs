using BenchmarkDotNet.Running;
using Fleet.Benchmarks.Spooling;

// dotnet run -c Release --project bench/Spool.Benchmarks -- --filter '*'     timings (BenchmarkDotNet)
// dotnet run -c Release --project bench/Spool.Benchmarks -- --memory         managed memory per pending batch
// dotnet run -c Release --project bench/Spool.Benchmarks -- --full-disk      behaviour on a full disk (root: mounts a tmpfs)
switch (args.FirstOrDefault())
{
    case "--memory":
        RetainedMemory.Run();
        break;
    case "--full-disk":
        FullDiskProbe.Run();
        // A spool that hung on the full disk still has a thread waiting: do not wait for it.
        Environment.Exit(0);
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(FasterLogSpool).Assembly).Run(args);
        break;
}
