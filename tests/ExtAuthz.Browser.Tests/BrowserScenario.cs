using System.Diagnostics;
using System.Text.Json;
using ExtAuthz.Testing;

namespace ExtAuthz.Browser.Tests;

/// <summary>
/// Runs one scenario of tests/browser/scenarios in headless chromium (<c>node &lt;scenario&gt;.mjs '&lt;json&gt;'</c>) and
/// returns the JSON it printed. A scenario may stop at named checkpoints (a line <c>{"checkpoint": name, "data": …}</c>): the test's
/// callback runs, then the browser goes on. A scenario that fails, or prints no result within its deadline, fails the
/// test with what the browser said.
/// </summary>
internal static class BrowserScenario
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public static string Folder => Path.Combine(RepoPaths.Root, "tests", "browser");

    public static async Task<JsonElement> RunAsync(string scenario, object arguments, Func<string, JsonElement, Task>? atCheckpoint = null)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", "playwright-core")))
        {
            throw new InvalidOperationException($"playwright-core is not installed: run `npm ci` in {Folder} (scripts/test.sh does)");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine("scenarios", scenario + ".mjs"));
        start.ArgumentList.Add(JsonSerializer.Serialize(arguments));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        string? result = null;
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.StartsWith("{\"checkpoint\":", StringComparison.Ordinal))
                {
                    var stop = JsonDocument.Parse(line).RootElement;
                    if (atCheckpoint is not null)
                    {
                        await atCheckpoint(stop.GetProperty("checkpoint").GetString()!, stop.GetProperty("data").Clone());
                    }

                    await process.StandardInput.WriteLineAsync("go");
                    await process.StandardInput.FlushAsync(deadline.Token);
                }
                else if (line.Length > 0)
                {
                    result = line;
                }
            }

            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"browser scenario {scenario} gave no result within {Deadline}: {await stderr}");
        }
        finally
        {
            // A failed assertion at a checkpoint leaves the browser waiting: end it with the test.
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        if (process.ExitCode != 0 || result is null)
        {
            throw new InvalidOperationException($"browser scenario {scenario} failed (exit {process.ExitCode}): {await stderr}");
        }

        return JsonDocument.Parse(result).RootElement.Clone();
    }
}
