using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Login;
using ExtAuthz.Core.Requests;
using ExtAuthz.Load.Requests;
using ExtAuthz.Server.Grpc;
using ExtAuthz.Server.Grpc.Wire;
using ExtAuthz.Server.Login;
using ExtAuthz.Server.Operations;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtAuthz.Benchmarks.Fixtures;

/// <summary>
/// One handler with our own login on, as the host wires it, and two realistic requests for the same user and page:
/// one with a cached bearer token, one with a warm session cookie (beside the browser's other cookies).
/// </summary>
internal sealed class SessionCheck
{
    private SessionCheck(CheckHandler handler, SlotNames names, CheckRequest bearer, CheckRequest session)
    {
        Handler = handler;
        Names = names;
        BearerBytes = bearer.ToByteArray();
        SessionBytes = session.ToByteArray();
    }

    internal CheckHandler Handler { get; }

    public SlotNames Names { get; }

    public byte[] BearerBytes { get; }

    public byte[] SessionBytes { get; }

    public static SessionCheck Create()
    {
        var options = new ExtAuthzOptions();
        options.Identity.DevIssuer.Enabled = true;
        options.Login.Oidc.Issuer = options.Identity.DevIssuer.Issuer;
        options.Login.Oidc.ClientId = options.Identity.DevIssuer.Audience;
        options.Login.Oidc.ClientSecret = "benchmark";
        options.Login.Oidc.AuthorizationEndpoint = "http://127.0.0.1:9/auth";
        options.Login.Oidc.TokenEndpoint = "http://127.0.0.1:9/token";
        options.Login.Session.CacheTtl = TimeSpan.FromMinutes(10);
        options.ApplyDefaults();

        var time = TimeProvider.System;
        var slots = new HeaderSlots(IdentityRuntime.Sources(options).Select(s => s.HeaderName).Concat(LoginRuntime.Headers(options)));
        var identity = IdentityRuntime.Create(options, time, slots);
        var index = DecisionPipeline.CreateIndex(options.Policy, time);
        index.ReplaceAll(SyntheticCluster.Profiles(10_000), SyntheticCluster.Bindings(10_000, 30_000), SyntheticCluster.Namespaces(10_000));
        var revocationSet = new RevocationSet();
        var revocations = new RevocationService(revocationSet, time, options, new ServiceCollection().BuildServiceProvider());
        var login = new LoginRuntime(options, identity, new InMemorySessionStore(time), new InMemoryLoginStateStore(time), slots, revocations, time,
            NullLogger<LoginRuntime>.Instance);
        var authorizer = DecisionPipeline.Build(options, identity.Authenticator, index, revocationSet).Authorizer;
        var metrics = new OperationsMetrics();
        var queue = new AuditQueue(options.Audit, metrics);
        _ = Task.Run(async () =>
        {
            await foreach (var _ in queue.Reader.ReadAllAsync())
            {
            }
        });
        var recorder = new DecisionRecorder(metrics, queue, new AuditSampler(options.Audit), time);
        var handler = new CheckHandler(authorizer, new ResponseCache(new CheckResponseWriter(options)), slots, recorder, login);

        var user = SyntheticCluster.User(1);
        var path = $"/notebook/{SyntheticCluster.Namespace(1)}/nb-1/api/kernels";
        var token = identity.DevIssuer!.Mint(user, ["kubeflow-users"], TimeSpan.FromHours(12));
        var probe = new CheckInput(slots) { HasHttp = true, Method = "GET", Path = path };
        probe.AddHeader(HeaderSlots.Authorization, "Bearer " + token);
        var principal = identity.Authenticator.Authenticate(probe).Principal!;
        var cookie = login.Sessions.CreateAsync(principal, new TokenResponse(token, null), CancellationToken.None).AsTask().GetAwaiter().GetResult();

        var bearer = IstioCheckRequest.Create("GET", path, token);
        var session = IstioCheckRequest.Create("GET", path, null);
        session.Attributes.Request.Http.Headers["cookie"] += "; " + options.Login.Session.CookieName + "=" + cookie;
        var fixture = new SessionCheck(handler, new SlotNames(slots), bearer, session);
        for (var i = 0; i < 3; i++)
        {
            fixture.Check(fixture.BearerBytes);
            fixture.Check(fixture.SessionBytes);
        }

        return fixture;
    }

    /// <summary>Request bytes to response bytes on the lean path.</summary>
    public byte[] Check(byte[] request) => Handler.HandleSerialized(CheckMarshallers.Read(request, Names)).Frame;
}
