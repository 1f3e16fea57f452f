using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ExtAuthz.Benchmarks;

if (args.FirstOrDefault() == "watch-delivery")
{
    return await WatchDelivery.RunAsync(args[1..]);
}

if (args.FirstOrDefault() == "selfservice-visible")
{
    return await SelfServiceVisible.RunAsync(args[1..]);
}

// In process (no per-run rebuild of a separate project, which takes minutes on a shared 2-core machine) and a
// fixed iteration budget, so a full run has a predictable length. Command-line options still override.
var job = Job.Default
    .WithToolchain(InProcessEmitToolchain.Instance)
    .WithLaunchCount(1)
    .WithWarmupCount(3)
    .WithIterationCount(10);
var config = DefaultConfig.Instance.AddJob(job.AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(WarmCheckBenchmarks).Assembly).Run(args, config);
return 0;
