namespace ExtAuthz.FirstCheck;

/// <summary>What to start and how often: the server build, its arguments and environment, processes and Checks per process.</summary>
internal sealed class FirstCheckSettings
{
    public int Processes { get; private set; } = 10;

    public int Checks { get; private set; } = 5;

    public string ServerDll { get; private set; } = Path.Combine(RepoRoot, "src/ExtAuthz.Server/bin/Release/net10.0/ExtAuthz.Server.dll");

    /// <summary>Extra server arguments, e.g. --Server:WarmUpRounds=0 for the process as it was before the warm-up.</summary>
    public List<string> ServerArgs { get; } = [];

    /// <summary>Extra environment of the server, e.g. DOTNET_TieredPGO=0 or DOTNET_TC_QuickJitForLoops=0.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public static string RepoRoot { get; } = FindRoot();

    public static FirstCheckSettings Parse(string[] args)
    {
        var settings = new FirstCheckSettings();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--processes": settings.Processes = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--checks": settings.Checks = Math.Max(1, int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture)); break;
                case "--server": settings.ServerDll = Path.GetFullPath(args[++i]); break;
                case "--env":
                    var pair = args[++i].Split('=', 2);
                    settings.Environment[pair[0]] = pair.Length > 1 ? pair[1] : string.Empty;
                    break;
                case "--":
                    settings.ServerArgs.AddRange(args[(i + 1)..]);
                    return settings;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}' (--processes N, --checks N, --server DLL, --env NAME=VALUE, -- server arguments)");
            }
        }

        return settings;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExtAuthz.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
