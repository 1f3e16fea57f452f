using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace ExtAuthz.Core.Tests.Identity;

/// <summary>Answers HTTP requests from a table of (URL → response); counts requests; can hold one until cancelled.</summary>
internal sealed class StubHttpHandler : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, Func<HttpResponseMessage>> _routes = new();
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HashSet<string> Hold { get; } = [];

    public Task RequestHeld => _held.Task;

    public int Count(string url) => _counts.TryGetValue(url, out var n) ? n : 0;

    public void Json(string url, string body, string? cacheControl = null, string contentType = "application/json", HttpStatusCode status = HttpStatusCode.OK) =>
        _routes[url] = () =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };
            if (cacheControl is not null)
            {
                response.Headers.TryAddWithoutValidation("Cache-Control", cacheControl);
            }

            return response;
        };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri!.ToString();
        _counts.AddOrUpdate(url, 1, (_, n) => n + 1);
        if (Hold.Contains(url))
        {
            _held.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (!_routes.TryGetValue(url, out var route))
        {
            throw new HttpRequestException("Connection refused (127.0.0.1:1)");
        }

        return route();
    }
}
