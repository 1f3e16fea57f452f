using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace ExtAuthz.Server.Tests.Identity;

/// <summary>
/// A real OpenID provider (npm oidc-provider, tests/oidc/server.mjs) that this fixture starts on 127.0.0.1 and stops.
/// Needs node and the packages installed by <c>npm ci --prefix tests/oidc</c>; without them it fails with that advice.
/// </summary>
public sealed class OidcProviderFixture : IAsyncLifetime
{
    private Process? _node;

    public string Issuer { get; private set; } = string.Empty;

    public HttpClient Http { get; } = new();

    public async Task InitializeAsync()
    {
        var folder = FindOidcFolder();
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "oidc-provider")))
        {
            throw new InvalidOperationException($"the npm packages of {folder} are not installed: run `npm ci --prefix tests/oidc` from the repository root");
        }

        var start = new ProcessStartInfo("node", "server.mjs")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            _node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("node is not installed (it runs the test OpenID provider in tests/oidc): " + ex.Message, ex);
        }

        _node.ErrorDataReceived += (_, _) => { };
        _node.BeginErrorReadLine();
        var ready = await _node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (ready is null || !ready.StartsWith("READY ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the test OpenID provider did not start: '{ready}'");
        }

        Issuer = $"http://127.0.0.1:{ready["READY ".Length..].Trim()}";
    }

    /// <summary>A JWT access token: <paramref name="resource"/> urn:extauthz:rs256 or urn:extauthz:es256 chooses alg and aud.</summary>
    public async Task<string> TokenAsync(string resource, object claims)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Issuer + "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = "extauthz-test",
                ["client_secret"] = "extauthz-test-secret",
                ["resource"] = resource,
                ["scope"] = "api",
            }),
        };
        request.Headers.Add("x-test-claims", JsonSerializer.Serialize(claims));
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>Publishes exactly these keys (by name: rsa-N, ec-N); the first of each type signs from now on.</summary>
    public async Task PublishKeysAsync(params string[] keys)
    {
        using var response = await Http.PostAsJsonAsync(Issuer + "/admin/keys", new { keys });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The user the next browser sign-in (client extauthz-login) logs in as.</summary>
    public async Task SignInAsAsync(string email, params string[] groups)
    {
        using var response = await Http.PostAsJsonAsync(Issuer + "/admin/account", new { email, groups });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Key-set requests the provider has served, counted on its side.</summary>
    public async Task<int> JwksRequestsAsync() =>
        (await Http.GetFromJsonAsync<JsonElement>(Issuer + "/admin/stats")).GetProperty("jwks").GetInt32();

    public Task DisposeAsync()
    {
        if (_node is { HasExited: false })
        {
            _node.StandardInput.Close();
            _node.Kill(entireProcessTree: true);
            _node.WaitForExit(10_000);
        }

        _node?.Dispose();
        Http.Dispose();
        return Task.CompletedTask;
    }

    private static string FindOidcFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "oidc");
            if (File.Exists(Path.Combine(candidate, "server.mjs")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/oidc/server.mjs not found above " + AppContext.BaseDirectory);
    }
}
