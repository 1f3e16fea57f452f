using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ExtAuthz.Core.Login;

/// <summary>
/// The provider seen from this service: discovery (once, retried at most every <see cref="RetryAfterFailure"/>) and the
/// token endpoint (code exchange and refresh), each call bounded by <c>Login:TokenTimeout</c>. Asynchronous all the way:
/// a slow provider holds only the login that waits for it, never another Check.
/// </summary>
internal sealed class OidcClient
{
    private const int MaxAnswerBytes = 256 * 1024;
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly LoginSettings _settings;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _discovery = new(1, 1);
    private ProviderEndpoints? _endpoints;
    private DateTimeOffset _retryAt;

    public OidcClient(HttpClient http, LoginSettings settings, TimeProvider time)
    {
        _http = http;
        _settings = settings;
        _time = time;
    }

    public async ValueTask<ProviderEndpoints> EndpointsAsync(CancellationToken cancellationToken)
    {
        if (_endpoints is { } known)
        {
            return known;
        }

        if (_settings.AuthorizationEndpoint is { } authorize && _settings.TokenEndpoint is { } token && _settings.EndSessionEndpoint is { } end)
        {
            return _endpoints = new ProviderEndpoints(authorize, token, end);
        }

        await _discovery.WaitAsync(cancellationToken);
        try
        {
            if (_endpoints is { } raced)
            {
                return raced;
            }

            if (_time.GetUtcNow() < _retryAt)
            {
                return Configured() ?? throw new ProviderException("discovery failed recently; retrying later");
            }

            try
            {
                var discovered = await DiscoverAsync(cancellationToken);
                return _endpoints = discovered;
            }
            catch (ProviderException)
            {
                _retryAt = _time.GetUtcNow() + RetryAfterFailure;

                // Both endpoints configured: discovery only adds the end-session endpoint, so log in without it.
                if (Configured() is { } configured)
                {
                    return configured;
                }

                throw;
            }
        }
        finally
        {
            _discovery.Release();
        }
    }

    private ProviderEndpoints? Configured() =>
        _settings.AuthorizationEndpoint is { } authorize && _settings.TokenEndpoint is { } token ? new ProviderEndpoints(authorize, token, null) : null;

    public async Task<TokenResponse> ExchangeCodeAsync(string code, string verifier, CancellationToken cancellationToken) =>
        await TokenRequestAsync(
        [
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", _settings.RedirectUri),
            new("code_verifier", verifier),
        ], cancellationToken);

    public async Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        await TokenRequestAsync(
        [
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
        ], cancellationToken);

    private async Task<ProviderEndpoints> DiscoverAsync(CancellationToken cancellationToken)
    {
        if (!_settings.Issuer.StartsWith("http://", StringComparison.Ordinal) && !_settings.Issuer.StartsWith("https://", StringComparison.Ordinal))
        {
            throw new ProviderException("discovery: the issuer is not an http(s) URL");
        }

        var url = _settings.Issuer.TrimEnd('/') + "/.well-known/openid-configuration";
        using var json = await GetJsonAsync(new HttpRequestMessage(HttpMethod.Get, url), "discovery", cancellationToken);
        var root = json.RootElement;
        var authorize = _settings.AuthorizationEndpoint ?? ReadUrl(root, "authorization_endpoint");
        var token = _settings.TokenEndpoint ?? ReadUrl(root, "token_endpoint");
        var end = _settings.EndSessionEndpoint ?? (root.TryGetProperty("end_session_endpoint", out _) ? ReadUrl(root, "end_session_endpoint") : null);
        return new ProviderEndpoints(authorize, token, end);
    }

    private static string ReadUrl(JsonElement root, string name)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ProviderException($"discovery: no usable {name}");
        }

        return value.GetString()!;
    }

    private async Task<TokenResponse> TokenRequestAsync(List<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        var endpoints = await EndpointsAsync(cancellationToken);
        if (_settings.SecretInBody)
        {
            form.Add(new("client_id", _settings.ClientId));
            form.Add(new("client_secret", _settings.ClientSecret));
        }

        var request = new HttpRequestMessage(HttpMethod.Post, endpoints.TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        if (!_settings.SecretInBody)
        {
            // RFC 6749 §2.3.1: each part form-encoded before the Basic encoding.
            var basic = Uri.EscapeDataString(_settings.ClientId) + ":" + Uri.EscapeDataString(_settings.ClientSecret);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        }

        using var json = await GetJsonAsync(request, "token endpoint", cancellationToken);
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ProviderException("token endpoint: answer is not a JSON object");
        }

        if (root.TryGetProperty("error", out var error))
        {
            var code = error.ValueKind == JsonValueKind.String ? Identity.DetailText.Safe(error.GetString() ?? string.Empty) : "?";
            throw new ProviderException($"token endpoint: error {code}", rejected: code is "invalid_grant" or "invalid_client");
        }

        if (!root.TryGetProperty("id_token", out var idToken) || idToken.ValueKind != JsonValueKind.String || idToken.GetString()!.Length == 0)
        {
            throw new ProviderException("token endpoint: no id_token");
        }

        if (root.TryGetProperty("token_type", out var type) && (type.ValueKind != JsonValueKind.String
            || !string.Equals(type.GetString(), "Bearer", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ProviderException("token endpoint: token_type is not Bearer");
        }

        var refresh = root.TryGetProperty("refresh_token", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString() : null;
        return new TokenResponse(idToken.GetString()!, refresh);
    }

    /// <summary>Sends with the bound; any failure becomes a <see cref="ProviderException"/> with a loggable detail.</summary>
    private async Task<JsonDocument> GetJsonAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.TokenTimeout);
        try
        {
            using (request)
            using (var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token))
            {
                var errorStatus = !response.IsSuccessStatusCode;
                if (errorStatus && (int)response.StatusCode != 400 && (int)response.StatusCode != 401)
                {
                    throw new ProviderException($"{what}: HTTP {(int)response.StatusCode}");
                }

                if (response.Content.Headers.ContentLength > MaxAnswerBytes)
                {
                    throw new ProviderException($"{what}: answer too large");
                }

                await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
                var buffer = new MemoryStream();
                var chunk = new byte[8192];
                int read;
                while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
                {
                    if (buffer.Length + read > MaxAnswerBytes)
                    {
                        throw new ProviderException($"{what}: answer too large");
                    }

                    buffer.Write(chunk, 0, read);
                }

                try
                {
                    var document = JsonDocument.Parse(buffer.ToArray());
                    if (errorStatus && (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("error", out _)))
                    {
                        document.Dispose();
                        throw new ProviderException($"{what}: HTTP {(int)response.StatusCode}");
                    }

                    return document;
                }
                catch (JsonException)
                {
                    throw new ProviderException($"{what}: answer is not JSON");
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException($"{what}: no answer within {_settings.TokenTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderException($"{what}: unreachable ({ex.HttpRequestError})");
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or IOException)
        {
            throw new ProviderException($"{what}: {ex.GetType().Name}");
        }
    }
}
