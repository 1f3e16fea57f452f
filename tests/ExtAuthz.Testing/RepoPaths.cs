namespace ExtAuthz.Testing;

/// <summary>Locates the repository from a test's output folder (the folder holding ExtAuthz.sln).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExtAuthz.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no ExtAuthz.sln above {AppContext.BaseDirectory}");
    });

    public static string Root => s_root.Value;

    public static string Samples => Path.Combine(Root, "samples", "cluster");
}
