using System.Diagnostics;
using System.Text.Json;
using ExtAuthz.Testing;

namespace ExtAuthz.Browser.Tests;

/// <summary>
/// Runs one scenario of tests/browser/scenarios in headless chromium (<c>node &lt;scenario&gt;.mjs '&lt;json&gt;'</c>) and
/// returns the JSON it printed. A scenario that fails, or prints no result within its deadline, fails the test with
/// what the browser said.
/// </summary>
internal static class BrowserScenario
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public static string Folder => Path.Combine(RepoPaths.Root, "tests", "browser");

    public static async Task<JsonElement> RunAsync(string scenario, object arguments)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", "playwright-core")))
        {
            throw new InvalidOperationException($"playwright-core is not installed: run `npm ci` in {Folder} (scripts/test.sh does)");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine("scenarios", scenario + ".mjs"));
        start.ArgumentList.Add(JsonSerializer.Serialize(arguments));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"browser scenario {scenario} gave no result within {Deadline}: {await stderr}");
        }

        var output = (await stdout).Trim();
        if (process.ExitCode != 0 || output.Length == 0)
        {
            throw new InvalidOperationException($"browser scenario {scenario} failed (exit {process.ExitCode}): {await stderr}");
        }

        return JsonDocument.Parse(output.Split('\n')[^1]).RootElement.Clone();
    }
}
