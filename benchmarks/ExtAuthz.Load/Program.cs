using ExtAuthz.Load;

return args.FirstOrDefault() switch
{
    "empty-server" => await EmptyHost.RunAsync(args[1..]),
    "cluster" => ClusterGenerator.Run(args[1..]),
    "run" => await LoadRun.RunAsync(LoadSettings.Parse(args[1..])),
    "perf-summary" when args.Length == 2 => Profiler.Summarize(args[1]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: ExtAuthz.Load <command>
          run [--Key=value ...]                 the whole load run (see benchmarks/load/README.md)
          empty-server --port=N [--raw]         the baselines: an empty Check handler on a minimal host (--raw: parses nothing)
          perf-summary FILE.perf.data           where a perf profile's samples fall (threads, libraries, parts of a Check)
          cluster --out=DIR [--profiles=N] [--bindings=N]   Profile and RoleBinding YAML for the directory source
        """);
    return 64;
}
