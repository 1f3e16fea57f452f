using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace ExtAuthz.Controller.Plugins.WorkloadIdentity;

/// <summary>
/// Access tokens from the GKE metadata server (the controller's own Workload Identity), cached until a minute before
/// they expire.
/// </summary>
internal sealed class MetadataTokenSource : IAccessTokenSource
{
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (string Token, DateTimeOffset Expires)? _current;

    public MetadataTokenSource(HttpClient http, Uri url, TimeProvider time)
    {
        _http = http;
        _url = url;
        _time = time;
    }

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } current && current.Expires > _time.GetUtcNow().AddMinutes(1))
            {
                return current.Token;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, _url);
            request.Headers.Add("Metadata-Flavor", "Google");
            using var response = await _http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            var token = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
                ?? throw new InvalidDataException("empty token response");
            _current = (token.AccessToken, _time.GetUtcNow().AddSeconds(token.ExpiresIn));
            return token.AccessToken;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
