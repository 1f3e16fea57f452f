using System.Globalization;

namespace ExtAuthz.Load;

/// <summary>The knobs of one load run; every one has a default that fits a 2-core machine in a few minutes.</summary>
internal sealed record LoadSettings
{
    public string Repo { get; init; } = ".";
    public string Work { get; init; } = "benchmarks/load/out";
    public int Profiles { get; init; } = 10_000;
    public int Bindings { get; init; } = 30_000;
    public int Rounds { get; init; } = 3;
    public int Seconds { get; init; } = 8;
    public int WarmupSeconds { get; init; } = 2;
    public int PrimeSeconds { get; init; } = 10;
    public int TraceSeconds { get; init; } = 8;

    /// <summary>Seconds of a <c>perf record</c> CPU profile of each server (0 = none); both then run with a perf map.</summary>
    public int PerfSeconds { get; init; }
    public int Clients { get; init; } = 4;
    public int Streams { get; init; } = 16;
    public int RateRounds { get; init; } = 2;
    public int RateSeconds { get; init; } = 10;
    public int ServerPort { get; init; } = 19000;
    public int OpsPort { get; init; } = 19080;
    public int EmptyPort { get; init; } = 19100;
    public int RawPort { get; init; } = 19200;
    public string Types { get; init; } = "owner,contributor,deny,session";
    public int ReadySeconds { get; init; } = 180;

    /// <summary>Extra server arguments, ';'-separated (e.g. "--Server:CheckReader=Generated").</summary>
    public string ServerArgs { get; init; } = "";

    public static LoadSettings Parse(string[] args)
    {
        var settings = new LoadSettings();
        foreach (var arg in args)
        {
            var (key, value) = arg.TrimStart('-').Split('=', 2) is [var k, var v] ? (k, v) : throw new ArgumentException($"expected --Key=value, got {arg}");
            int Int() => int.Parse(value, CultureInfo.InvariantCulture);
            settings = key.ToLowerInvariant() switch
            {
                "repo" => settings with { Repo = value },
                "work" => settings with { Work = value },
                "profiles" => settings with { Profiles = Int() },
                "bindings" => settings with { Bindings = Int() },
                "rounds" => settings with { Rounds = Int() },
                "seconds" => settings with { Seconds = Int() },
                "warmupseconds" => settings with { WarmupSeconds = Int() },
                "primeseconds" => settings with { PrimeSeconds = Int() },
                "traceseconds" => settings with { TraceSeconds = Int() },
                "perfseconds" => settings with { PerfSeconds = Int() },
                "clients" => settings with { Clients = Int() },
                "streams" => settings with { Streams = Int() },
                "raterounds" => settings with { RateRounds = Int() },
                "rateseconds" => settings with { RateSeconds = Int() },
                "serverport" => settings with { ServerPort = Int() },
                "opsport" => settings with { OpsPort = Int() },
                "emptyport" => settings with { EmptyPort = Int() },
                "rawport" => settings with { RawPort = Int() },
                "types" => settings with { Types = value },
                "readyseconds" => settings with { ReadySeconds = Int() },
                "serverargs" => settings with { ServerArgs = value },
                _ => throw new ArgumentException($"unknown setting {key}"),
            };
        }

        return settings;
    }
}
