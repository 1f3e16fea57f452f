using System.Text.Json;
using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;
using ExtAuthz.Kubernetes.Directory;
using ExtAuthz.Kubernetes.Objects;

namespace ExtAuthz.Kubernetes.Tests.Golden;

/// <summary>
/// The golden decision table: the cluster in <c>golden/decisions/cluster</c>, the policy in <c>policy.yaml</c>, and every
/// case of <c>cases/*.yaml</c>, decided by the real <see cref="Authorizer"/> with an authenticator that hands out the
/// case's token claims.
/// </summary>
internal sealed class GoldenSuite
{
    private static readonly Lazy<GoldenSuite> s_instance = new(() => new GoldenSuite(Path.Combine(AppContext.BaseDirectory, "golden", "decisions")));

    private readonly Dictionary<string, GoldenCase> _cases = new(StringComparer.Ordinal);
    private readonly GoldenAuthenticator _authenticator = new();
    private readonly Authorizer _authorizer;

    private GoldenSuite(string root)
    {
        var cluster = DirectoryReader.Read(Path.Combine(root, "cluster"));
        if (!cluster.IsGood)
        {
            throw new InvalidDataException(string.Join('\n', cluster.Errors));
        }

        var options = new ExtAuthzOptions();
        var policy = YamlJson.ReadDocuments(File.ReadAllText(Path.Combine(root, "policy.yaml"))).Single();
        options.Policy.ClusterAdmins = Strings(policy, "clusterAdmins");
        options.Policy.KServeDomains = Strings(policy, "kserveDomains");
        options.Policy.NamespaceRules = Strings(policy, "namespaceRules");
        options.ApplyDefaults();
        Assert.Empty(ConfigValidator.Validate(options));
        var index = DecisionPipeline.CreateIndex(options.Policy, TimeProvider.System);
        index.ReplaceAll(cluster.Profiles, cluster.RoleBindings, cluster.Namespaces);

        _authorizer = DecisionPipeline.Build(options, _authenticator, index).Authorizer;

        foreach (var file in System.IO.Directory.EnumerateFiles(Path.Combine(root, "cases"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var list = YamlJson.ReadDocuments(File.ReadAllText(file)).Single();
            foreach (var item in list.EnumerateArray())
            {
                var golden = new GoldenCase(Path.GetFileNameWithoutExtension(file), item);
                if (!_cases.TryAdd(golden.Id, golden))
                {
                    throw new InvalidDataException($"duplicate case name {golden.Id}");
                }
            }
        }
    }

    public static GoldenSuite Instance => s_instance.Value;

    public IReadOnlyCollection<GoldenCase> Cases => _cases.Values;

    public GoldenCase this[string id] => _cases[id];

    public Authorizer Authorizer => _authorizer;

    /// <summary>The Authorization header value that carries the case's token, or null for a case without one.</summary>
    public string? Authorization(GoldenCase golden) =>
        golden.Token is { } token ? "Bearer " + _authenticator.Issue(golden.Id, token) : null;

    public Decision Decide(GoldenCase golden)
    {
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true };
        var request = golden.Request;
        input.Method = request.GetProperty("method").GetString()!;
        input.Path = request.GetProperty("path").GetString()!;
        input.Host = request.TryGetProperty("host", out var host) ? host.GetString()! : "kubeflow.example.com";
        input.SourcePrincipal = request.TryGetProperty("source", out var source) ? source.GetString()! : string.Empty;
        input.DestinationPrincipal = request.TryGetProperty("destination", out var destination) ? destination.GetString()! : string.Empty;
        if (request.TryGetProperty("headers", out var headers))
        {
            foreach (var header in headers.EnumerateObject())
            {
                if (input.Slots.TryGetSlot(header.Name, out var slot))
                {
                    input.AddHeader(slot, header.Value.GetString()!);
                }
            }
        }

        if (Authorization(golden) is { } authorization)
        {
            input.AddHeader(HeaderSlots.Authorization, authorization);
        }

        return _authorizer.Decide(input);
    }

    private static List<string> Strings(JsonElement obj, string property) =>
        obj.TryGetProperty(property, out var list) ? [.. list.EnumerateArray().Select(e => e.GetString()!)] : [];

    /// <summary>Hands each case's claims to the authorizer as if its token had validated (or not).</summary>
    private sealed class GoldenAuthenticator : IAuthenticator
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, AuthenticationResult> _tokens = new();

        public string Issue(string id, JsonElement token)
        {
            var bearer = "golden-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)))[..16];
            _tokens[bearer] = token.ValueKind == JsonValueKind.String && token.GetString() == "expired"
                ? AuthenticationResult.Fail(ReasonCode.TokenExpired, "the token expired")
                : AuthenticationResult.Success(Principal(token));
            return bearer;
        }

        public AuthenticationResult Authenticate(CheckInput input)
        {
            var header = input.GetHeader(HeaderSlots.Authorization);
            if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return AuthenticationResult.Missing;
            }

            return _tokens.TryGetValue(header["Bearer ".Length..], out var result)
                ? result
                : AuthenticationResult.Fail(ReasonCode.InvalidToken, "unknown golden token");
        }

        private static Principal Principal(JsonElement token)
        {
            var user = token.GetProperty("user").GetString()!;
            var prefix = token.TryGetProperty("prefix", out var p) ? p.GetString()! : string.Empty;
            string[] groups = token.TryGetProperty("groups", out var g) ? [.. g.EnumerateArray().Select(e => e.GetString()!)] : [];
            return new Principal("https://dex.example.com/dex", user, prefix + user, groups, DateTimeOffset.UtcNow.AddHours(1));
        }
    }
}
