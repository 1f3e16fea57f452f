using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ExtAuthz.Cli;

/// <summary>Mints a token from the development issuer's endpoint on the ops port (loopback callers only).</summary>
internal static class DevTokens
{
    /// <summary>What a failed mint usually means.</summary>
    public const string Hint = "(the development issuer must be on: --Identity:DevIssuer:Enabled=true, as ./scripts/run.sh sets it, and the ops port on loopback)";

    public static async Task<string> MintAsync(string ops, string user, IReadOnlyList<string> groups)
    {
        using var http = new HttpClient { BaseAddress = new Uri(ops), Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.PostAsJsonAsync("/dev/token", new { user, groups });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body?["token"]?.GetValue<string>() ?? throw new InvalidOperationException("the answer has no 'token'");
    }
}
