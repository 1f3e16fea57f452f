using BenchmarkDotNet.Running;
using ExtAuthz.Benchmarks;

BenchmarkSwitcher.FromAssembly(typeof(WarmCheckBenchmarks).Assembly).Run(args);
