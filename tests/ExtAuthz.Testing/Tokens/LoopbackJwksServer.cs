using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ExtAuthz.Testing.Tokens;

/// <summary>
/// A key-set (and optional discovery) server on 127.0.0.1 whose behaviour a test switches at will: serve the JWKS,
/// be down (nothing listening), answer HTML, broken JSON, an error status, or hold requests until released. It
/// counts every request by path, server-side.
/// </summary>
public sealed class LoopbackJwksServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly CancellationTokenSource _stop = new();
    private HttpListener? _listener;
    private Task? _loop;
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LoopbackJwksServer(string? issuerPath = null)
    {
        Port = FreePort();
        BaseUrl = $"http://127.0.0.1:{Port}";
        Issuer = BaseUrl + (issuerPath ?? string.Empty);
    }

    public int Port { get; }

    public string BaseUrl { get; }

    /// <summary>The issuer whose discovery document this server answers (the base URL plus the optional path).</summary>
    public string Issuer { get; }

    public string JwksUri => Issuer + "/keys";

    public JwksBehavior Behavior { get; set; } = JwksBehavior.Serve;

    /// <summary>The JWKS document served in <see cref="JwksBehavior.Serve"/>.</summary>
    public string Jwks { get; set; } = """{"keys":[]}""";

    public string? CacheControl { get; set; }

    /// <summary>Completes when a request is being held (<see cref="JwksBehavior.Hold"/>).</summary>
    public Task RequestHeld => _held.Task;

    public int Count(string path) => _counts.TryGetValue(path, out var n) ? n : 0;

    public int JwksRequests => Count(new Uri(JwksUri).AbsolutePath);

    public static LoopbackJwksServer Start(string? issuerPath = null)
    {
        var server = new LoopbackJwksServer(issuerPath);
        server.Up();
        return server;
    }

    /// <summary>Starts listening (again).</summary>
    public void Up()
    {
        if (_listener is not null)
        {
            return;
        }

        _listener = new HttpListener();
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        var listener = _listener;
        _loop = Task.Run(() => LoopAsync(listener));
    }

    /// <summary>Stops listening: connections are refused.</summary>
    public async Task DownAsync()
    {
        var listener = _listener;
        _listener = null;
        if (listener is null)
        {
            return;
        }

        listener.Stop();
        listener.Close();
        ReleaseHeld();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
    }

    /// <summary>Lets every held request finish (with the JWKS).</summary>
    public void ReleaseHeld()
    {
        Interlocked.Exchange(ref _release, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        Interlocked.Exchange(ref _held, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await DownAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync(HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        _counts.AddOrUpdate(path, 1, (_, n) => n + 1);
        var response = context.Response;
        try
        {
            if (path == new Uri(Issuer + "/.well-known/openid-configuration").AbsolutePath)
            {
                await WriteAsync(response, 200, "application/json", $$"""{"issuer":"{{Issuer}}","jwks_uri":"{{JwksUri}}"}""").ConfigureAwait(false);
                return;
            }

            switch (Behavior)
            {
                case JwksBehavior.Html:
                    await WriteAsync(response, 200, "text/html", "<html><body>Sign in</body></html>").ConfigureAwait(false);
                    break;
                case JwksBehavior.BrokenJson:
                    await WriteAsync(response, 200, "application/json", """{"keys":[{"kty":"RSA","n":""").ConfigureAwait(false);
                    break;
                case JwksBehavior.ServerError:
                    await WriteAsync(response, 503, "text/plain", "unavailable").ConfigureAwait(false);
                    break;
                case JwksBehavior.Hold:
                    var release = _release.Task;
                    _held.TrySetResult();
                    await release.WaitAsync(_stop.Token).ConfigureAwait(false);
                    await WriteAsync(response, 200, "application/json", Jwks).ConfigureAwait(false);
                    break;
                default:
                    if (CacheControl is not null)
                    {
                        response.Headers["Cache-Control"] = CacheControl;
                    }

                    await WriteAsync(response, 200, "application/json", Jwks).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The listener went down or the client left.
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        response.Close();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

/// <summary>What <see cref="LoopbackJwksServer"/> answers to key-set requests.</summary>
public enum JwksBehavior
{
    Serve,
    Html,
    BrokenJson,
    ServerError,
    Hold,
}
