using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

namespace ExtAuthz.Deploy.Tests;

/// <summary>
/// Renders a kustomization with <c>kubectl kustomize</c>, once per folder per test run. A missing
/// kubectl is a failure with instructions, never a skip: these manifests are only as good as
/// their rendering.
/// </summary>
internal static class Kubectl
{
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromMinutes(2);
    private static readonly ConcurrentDictionary<string, Lazy<Rendering>> Cache = new(StringComparer.Ordinal);

    /// <summary>The rendering of <paramref name="folder"/>, a path relative to the repository root.</summary>
    public static Rendering Kustomize(string folder) =>
        Cache.GetOrAdd(folder, f => new Lazy<Rendering>(() => new Rendering(f, Yaml.LoadObjects(Render(f))))).Value;

    /// <summary>Renders <paramref name="folder"/> without caching; a failed rendering is a result (its error text), not an exception.</summary>
    public static (bool Succeeded, string Output, string Error) TryKustomize(string folder)
    {
        var (exitCode, stdout, stderr) = Run(folder);
        return (exitCode == 0, stdout, stderr);
    }

    private static string Render(string folder)
    {
        var (exitCode, stdout, stderr) = Run(folder);
        return exitCode == 0
            ? stdout
            : throw new InvalidOperationException($"`kubectl kustomize {folder}` exited with {exitCode}:{Environment.NewLine}{stderr}");
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string folder)
    {
        var executable = Environment.GetEnvironmentVariable("KUBECTL") is { Length: > 0 } configured ? configured : "kubectl";
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(RepoRoot.Combine(folder));

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Cannot start '{executable}' ({e.Message}). The deployment tests render istio/ with `kubectl kustomize` " +
                "(kubectl 1.27 or later, which embeds kustomize v5). Install kubectl, or set KUBECTL to its path.", e);
        }

        using (process ?? throw new InvalidOperationException($"'{executable}' did not start."))
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(RenderTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"`kubectl kustomize {folder}` did not finish within {RenderTimeout}.");
            }

            process.WaitForExit();
            return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
    }
}
