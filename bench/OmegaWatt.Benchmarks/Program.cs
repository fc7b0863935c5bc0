using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/OmegaWatt.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
