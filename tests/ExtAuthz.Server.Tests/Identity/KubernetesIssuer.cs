using System.Text.Json.Nodes;
using ExtAuthz.Testing;
using ExtAuthz.Testing.Tokens;

namespace ExtAuthz.Server.Tests.Identity;

/// <summary>
/// A Kubernetes API server as a token issuer: its key set served by a loopback server of the test, and projected
/// ServiceAccount tokens of the shape the kubelet mounts (<c>iss</c>, <c>sub</c>, <c>aud</c> list, <c>kubernetes.io</c>
/// with namespace, pod and serviceaccount). Its configuration is the shipped issuer entry
/// (istio/kubeflow/components/service-account-tokens), with only the key-set URL pointed at the loopback server.
/// </summary>
internal sealed class KubernetesIssuer : IAsyncDisposable
{
    public const string EntryFile = "istio/kubeflow/components/service-account-tokens/service-account-issuer.env";

    private static readonly TestKey s_key = TestKey.Rsa("k8s-sa-1");

    private readonly HostedIssuers _issuers;

    public KubernetesIssuer(HostedIssuers issuers)
    {
        _issuers = issuers;
        Keys = LoopbackJwksServer.Start();
        Keys.Jwks = TestKey.Jwks(s_key);
        Entry = ReadEntry();
    }

    public LoopbackJwksServer Keys { get; }

    /// <summary>The shipped entry as configuration keys (<c>Identity:Issuers:1:…</c>).</summary>
    public IReadOnlyDictionary<string, string> Entry { get; }

    public string Issuer => Entry["Identity:Issuers:1:Issuer"];

    public string Audience => Entry["Identity:Issuers:1:Audiences:0"];

    /// <summary>Dex as issuer 0 (as in every topology) and the shipped ServiceAccount entry as issuer 1.</summary>
    public Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Identity:Issuers:0:Issuer"] = _issuers.Dex.Issuer,
            ["Identity:Issuers:0:Audiences:0"] = HostedIssuers.DexAudience,
            ["Identity:KeyRefreshInterval"] = "00:01:00",
            ["Identity:KeyFetchTimeout"] = "00:00:05",
            ["Policy:Directory"] = RepoPaths.Samples,
        };
        foreach (var (key, value) in Entry)
        {
            settings[key] = value;
        }

        settings["Identity:Issuers:1:JwksUri"] = Keys.JwksUri;
        return settings;
    }

    /// <summary>A projected token for ServiceAccount <paramref name="name"/> in <paramref name="ns"/>, as the kubelet mounts it.</summary>
    public string Token(string ns, string name, string? audience = null, string? subject = null)
    {
        var now = _issuers.Now;
        return TestJwt.Sign(s_key, new JsonObject
        {
            ["aud"] = new JsonArray(audience ?? Audience),
            ["exp"] = now + 3600,
            ["iat"] = now,
            ["nbf"] = now,
            ["iss"] = Issuer,
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = new JsonObject
            {
                ["namespace"] = ns,
                ["node"] = new JsonObject { ["name"] = "worker-1", ["uid"] = "5c2d6c52-2b1f-4a53-9f2e-0d5e4e0a7d11" },
                ["pod"] = new JsonObject { ["name"] = "train-7d9f", ["uid"] = "0b3f1b0e-93a4-4c8e-b3c4-2f5b7e1d6a90" },
                ["serviceaccount"] = new JsonObject { ["name"] = name, ["uid"] = "8e1c7f52-6a0d-4d4b-9c55-1f0e6c3b2a17" },
            },
            ["sub"] = subject ?? $"system:serviceaccount:{ns}:{name}",
        });
    }

    private static Dictionary<string, string> ReadEntry()
    {
        var entry = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in File.ReadAllLines(Path.Combine(RepoPaths.Root, EntryFile)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            entry[line[..equals].Replace("__", ":", StringComparison.Ordinal)] = line[(equals + 1)..];
        }

        return entry;
    }

    public ValueTask DisposeAsync() => Keys.DisposeAsync();
}
