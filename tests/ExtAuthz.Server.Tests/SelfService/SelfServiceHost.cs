using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Envoy.Service.Auth.V3;
using ExtAuthz.Testing;

namespace ExtAuthz.Server.Tests.SelfService;

/// <summary>
/// A real server with the workspace API on, over a private copy of the samples cluster (the directory source), the
/// development issuer for real tokens and <c>admin@example.com</c> as cluster admin. Calls go over loopback sockets.
/// </summary>
internal sealed class SelfServiceHost : IAsyncDisposable
{
    private readonly bool _ownsFolder;

    private SelfServiceHost(ServerInstance server, string folder, bool ownsFolder)
    {
        Server = server;
        Folder = folder;
        _ownsFolder = ownsFolder;
        Api = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{server.ApiPort}") };
        Check = new Authorization.AuthorizationClient(server.Channel);
    }

    public ServerInstance Server { get; }

    public string Folder { get; }

    public HttpClient Api { get; }

    public Authorization.AuthorizationClient Check { get; }

    /// <summary>A server over a new copy of the samples, or over <paramref name="folder"/> (a second replica).</summary>
    public static async Task<SelfServiceHost> StartAsync(string[]? args = null, string? folder = null, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        var owns = folder is null;
        folder ??= CopySamples();
        var server = await ServerInstance.StartAsync([
            $"--Policy:Directory={folder}",
            "--Policy:DirectoryDebounce=00:00:00.050",
            "--Policy:ClusterAdmins:0=admin@example.com",
            "--Identity:DevIssuer:Enabled=true",
            "--SelfService:Enabled=true",
            "--SelfService:Registration=true",
            .. args ?? [],
        ], configure);
        return new SelfServiceHost(server, folder, owns);
    }

    public static string CopySamples()
    {
        var folder = Path.Combine(Path.GetTempPath(), "extauthz-selfservice-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Samples, "*.yaml"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }

    public async Task<string> TokenAsync(string user)
    {
        using var response = await Server.Http.PostAsJsonAsync("/dev/token", new { user });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>One API call as <paramref name="user"/> (null: no token), JSON body when given, extra headers as given.</summary>
    public async Task<(int Status, string Body, string? ContentType)> CallAsync(string? user, HttpMethod method, string path, object? body = null,
        params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (user is not null)
        {
            request.Headers.Authorization = new("Bearer", await TokenAsync(user));
        }

        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new StringContent("");
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await Api.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString());
    }

    /// <summary>A Check for <paramref name="user"/>'s own token: the role granted, or the deny's reason.</summary>
    public async Task<string> CheckAsync(string user, string method, string path)
    {
        var token = await TokenAsync(user);
        var response = await Check.CheckAsync(Requests.Istio(method, path, headers: [KeyValuePair.Create("authorization", $"Bearer {token}")]));
        return response.Status.Code == 0 ? response.DynamicMetadata.Fields["role"].StringValue : response.Status.Message;
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Server.DisposeAsync();
        if (_ownsFolder)
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
