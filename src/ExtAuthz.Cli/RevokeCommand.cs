using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExtAuthz.Cli;

/// <summary>
/// Revokes a user's tokens or one token through <c>POST /revocations</c> on the ops port, or lists what the server
/// holds; the caller proves it is a cluster admin with its own token.
/// </summary>
internal sealed class RevokeCommand
{
    private readonly RevokeOptions _options;
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;

    public RevokeCommand(RevokeOptions options, TextWriter stdout, TextWriter stderr)
    {
        _options = options;
        _stdout = stdout;
        _stderr = stderr;
    }

    public async Task<int> RunAsync()
    {
        try
        {
            var bearer = _options.Bearer ?? await DevTokens.MintAsync(_options.Ops, _options.As!, []);
            using var http = new HttpClient { BaseAddress = new Uri(_options.Ops), Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            using var response = _options.List
                ? await http.GetAsync("/revocations")
                : await http.PostAsJsonAsync("/revocations", new { user = _options.User, jti = _options.Jti, issuer = _options.Issuer, token = _options.Token });
            var body = await response.Content.ReadFromJsonAsync<JsonObject>() ?? [];
            await _stdout.WriteLineAsync(_options.Json ? body.ToJsonString() : Describe(body, (int)response.StatusCode));
            return response.IsSuccessStatusCode ? Cli.Allowed : Cli.Denied;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or TaskCanceledException)
        {
            await _stderr.WriteLineAsync($"no answer from {_options.Ops}/revocations: {ex.Message}");
            return Cli.Failed;
        }
    }

    private string Describe(JsonObject body, int status)
    {
        if (body["error"] is { } error)
        {
            return $"REFUSED {status}  {error}: {body["reason"]}";
        }

        if (_options.List)
        {
            var entries = body["revocations"]?.AsArray() ?? [];
            var lines = entries.Select(e => $"{e?["kind"],-16} {e?["subject"]}  revoked {e?["revokedAt"]}  until {e?["expiresAt"]}");
            return entries.Count == 0 ? "no revocations" : string.Join('\n', lines);
        }

        var revoked = body["revoked"];
        var issuer = revoked?["issuer"]?.GetValue<string>() is { Length: > 0 } iss ? $" of {iss}" : string.Empty;
        return $"REVOKED {revoked?["kind"]} {revoked?["subject"]}{issuer} at {revoked?["revokedAt"]}\n"
            + $"  kept until {revoked?["expiresAt"]}; other replicas: {body["replicated"]}";
    }
}
