using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Login;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Grpc;
using ExtAuthz.Server.Grpc.Wire;
using ExtAuthz.Server.Login;
using ExtAuthz.Server.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtAuthz.Server.Tests.Login;

/// <summary>
/// A Check with a warm session cookie, from the read request to the serialized answer, allocates nothing: no MAC, no
/// decryption, no store, the upstream cookie header computed once, the answer reused. Its bearer twin is the control.
/// </summary>
public sealed class WarmSessionAllocationTests
{
    [Theory]
    [InlineData("session", "_ga=GA1.1.1; theme=dark")]
    [InlineData("session", null)]
    [InlineData("bearer", "_ga=GA1.1.1; theme=dark")]
    public async Task Handle_WarmCredential_AllocatesNothing(string credential, string? otherCookies)
    {
        var (handler, login, slots, token) = Build();
        var principal = new Principal("urn:extauthz:dev", "alice@example.com", "alice@example.com", ["team-a"], DateTimeOffset.UtcNow.AddHours(12), DateTimeOffset.UtcNow);
        var session = await login.Sessions.CreateAsync(principal, new TokenResponse(token, null), CancellationToken.None);
        var input = new CheckInput(slots) { HasHttp = true, Method = "GET", Path = "/jupyter/api/namespaces/alice/notebooks", Host = "kubeflow.example.com" };
        var cookie = credential == "session" ? string.Join("; ", new[] { otherCookies, "__Host-extauthz-session=" + session }.Where(c => c is not null)) : otherCookies;
        if (cookie is not null)
        {
            input.AddHeader(HeaderSlots.Cookie, cookie);
        }

        if (credential == "bearer")
        {
            input.AddHeader(HeaderSlots.Authorization, "Bearer " + token);
        }

        // The first rounds build the answer, the upstream cookie header and the runtime's own lazy state.
        var first = (await handler.HandleInputAsync(input, TimingAsk.None, CancellationToken.None)).Message;
        for (var i = 0; i < 100; i++)
        {
            _ = await handler.HandleInputAsync(input, TimingAsk.None, CancellationToken.None);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = await handler.HandleInputAsync(input, TimingAsk.None, CancellationToken.None);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("alice@example.com", first.OkResponse.Headers.Single(h => h.Header.Key == "kubeflow-userid").Header.Value);
        Assert.Equal(0, allocated);
    }

    private static (CheckHandler Handler, LoginRuntime Login, HeaderSlots Slots, string Token) Build()
    {
        var options = new ExtAuthzOptions();
        options.Identity.DevIssuer.Enabled = true;
        options.Login.Oidc.Issuer = options.Identity.DevIssuer.Issuer;
        options.Login.Oidc.ClientId = options.Identity.DevIssuer.Audience;
        options.Login.Oidc.ClientSecret = "test";
        options.Login.Oidc.AuthorizationEndpoint = "http://127.0.0.1:9/auth";
        options.Login.Oidc.TokenEndpoint = "http://127.0.0.1:9/token";
        options.Audit.AllowSampleRate = 0;
        options.ApplyDefaults();
        Assert.Empty(ConfigValidator.Validate(options));

        var time = TimeProvider.System;
        var slots = new HeaderSlots(IdentityRuntime.Sources(options).Select(s => s.HeaderName).Concat(LoginRuntime.Headers(options)));
        var identity = IdentityRuntime.Create(options, time, slots);
        var index = new AccessIndex(RoleMap.Default, time);
        ProfileRecord[] profiles = [new ProfileRecord("alice", new SubjectRecord(SubjectRecord.User, "alice@example.com"))];
        index.ReplaceAll(profiles, [], [new NamespaceRecord("alice", "alice@example.com")]);
        var revocationSet = new RevocationSet();
        var revocations = new RevocationService(revocationSet, time, options, new ServiceCollection().BuildServiceProvider());
        var login = new LoginRuntime(options, identity, new InMemorySessionStore(time), new InMemoryLoginStateStore(time), slots, revocations, time,
            NullLogger<LoginRuntime>.Instance);
        var metrics = new OperationsMetrics();
        var recorder = new DecisionRecorder(metrics, new AuditQueue(options.Audit, metrics), new AuditSampler(options.Audit), time);
        var authorizer = DecisionPipeline.Build(options, identity.Authenticator, index, revocationSet).Authorizer;
        var handler = new CheckHandler(authorizer, new ResponseCache(new CheckResponseWriter(options)), slots, recorder, login);
        var token = identity.DevIssuer!.Mint("alice@example.com", ["team-a"], TimeSpan.FromHours(12));
        return (handler, login, slots, token);
    }
}
