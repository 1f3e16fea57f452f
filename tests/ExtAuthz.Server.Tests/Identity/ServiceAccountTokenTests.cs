using ExtAuthz.Testing;

namespace ExtAuthz.Server.Tests.Identity;

/// <summary>
/// Machine-to-machine callers (the Pipelines SDK, in-cluster jobs) with projected ServiceAccount tokens, through the
/// shipped issuer entry: authorised as <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c> by the same RoleBindings
/// (samples/cluster binds default-editor and default-viewer in each profile namespace).
/// </summary>
public sealed class ServiceAccountTokenTests : IAsyncLifetime
{
    private readonly HostedIssuers _issuers = new();
    private KubernetesIssuer _kubernetes = null!;
    private IdentityHost _host = null!;

    public async Task InitializeAsync()
    {
        _kubernetes = new KubernetesIssuer(_issuers);
        _host = await IdentityHost.StartAsync(_kubernetes.Settings(), _issuers.Time);
        await KeyWait.LoadedAsync(_host.Runtime.Keys[0]);
        await KeyWait.LoadedAsync(_host.Runtime.Keys[1]);
        await WaitReadyAsync();
    }

    public static TheoryData<string, string, string, int, string> Calls => new()
    {
        // namespace of the ServiceAccount, its name, the namespace asked about, status, reason
        { "alice", "default-editor", "alice", 200, "granted" },
        { "alice", "default-viewer", "alice", 200, "granted" },
        { "alice", "default-editor", "bob", 403, "no_access" },
        { "alice", "pipeline-runner", "alice", 403, "no_access" },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Check_ProjectedServiceAccountToken_AuthorisedByRoleBindings(string ns, string name, string target, int status, string reason)
    {
        var token = _kubernetes.Token(ns, name);

        var answer = CheckAnswer.From(await _host.CheckAsync(RunsOf(target), ("authorization", "Bearer " + token)));

        Assert.Equal((status, reason, $"system:serviceaccount:{ns}:{name}"), (answer.Status, answer.Reason, answer.User));
    }

    [Fact]
    public async Task Check_ServiceAccountViewerWrites_ReadOnly()
    {
        var token = _kubernetes.Token("alice", "default-viewer");

        var response = await _host.Client.CheckAsync(Requests.Istio("POST", "/jupyter/api/namespaces/alice/notebooks", headers: [new("authorization", "Bearer " + token)]));

        Assert.Equal((403, "read_only"), (CheckAnswer.From(response).Status, CheckAnswer.From(response).Reason));
    }

    public static TheoryData<string> OtherAudiences => new()
    {
        "https://kubernetes.default.svc.cluster.local",
        "vault",
        "kubeflow-oidc-authservice",
    };

    [Theory]
    [MemberData(nameof(OtherAudiences))]
    public async Task Check_TokenForAnotherAudience_RefusedSayingAudience(string audience)
    {
        var token = _kubernetes.Token("alice", "default-editor", audience);

        var answer = CheckAnswer.From(await _host.CheckAsync(RunsOf("alice"), ("authorization", "Bearer " + token)));

        Assert.Equal(new CheckAnswer(401, "invalid_token", "audience", null), answer);
    }

    [Fact]
    public async Task Check_ServiceAccountIssuerWithoutKubernetesSubject_Refused()
    {
        // Dex shares the empty user id prefix: a `sub` that is not system:… could pass for a Dex user.
        var token = _kubernetes.Token("alice", "default-editor", subject: "alice@example.com");

        var answer = CheckAnswer.From(await _host.CheckAsync(RunsOf("alice"), ("authorization", "Bearer " + token)));

        Assert.Equal((401, "invalid_token"), (answer.Status, answer.Reason));
        Assert.Null(answer.User);
    }

    [Fact]
    public async Task Check_DexTokenNamingAServiceAccount_Refused()
    {
        var answer = CheckAnswer.From(await _host.CheckAsync(RunsOf("alice"),
            ("authorization", "Bearer " + _issuers.DexToken("system:serviceaccount:alice:default-editor"))));

        Assert.Equal((401, "invalid_token"), (answer.Status, answer.Reason));
        Assert.Null(answer.User);
    }

    [Fact]
    public void Entry_ShippedIssuer_IsTheClustersAndNamesUsersBySub()
    {
        Assert.Equal("https://kubernetes.default.svc.cluster.local", _kubernetes.Issuer);
        Assert.Equal("sub", _kubernetes.Entry["Identity:Issuers:1:UserClaim"]);
    }

    private static string RunsOf(string ns) => $"/pipeline/apis/v2beta1/runs?namespace={ns}";

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow.Add(KeyWait.Patience);
        while (true)
        {
            using var response = await _host.Ops.GetAsync("/readyz");
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "the samples index never loaded: " + await response.Content.ReadAsStringAsync());
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _kubernetes.DisposeAsync();
        await _issuers.DisposeAsync();
    }
}
