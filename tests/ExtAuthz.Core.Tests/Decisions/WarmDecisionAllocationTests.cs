using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;
using Microsoft.Extensions.Time.Testing;
using static ExtAuthz.Core.Tests.Access.Objects;

namespace ExtAuthz.Core.Tests.Decisions;

/// <summary>
/// The whole Core decision (normalise, public, service caller, authenticate, resolve through the route catalogue,
/// authorize) allocates nothing on a warm request, with or without a query string, allowed or denied for want of a grant.
/// </summary>
public sealed class WarmDecisionAllocationTests
{
    [Theory]
    [InlineData("GET", "/notebook/alice/nb/api/kernels", "kubeflow.example.com", "alice@example.com", ReasonCode.Granted)]
    [InlineData("GET", "/notebook/alice/nb/api/kernels?x=1", "kubeflow.example.com", "alice@example.com", ReasonCode.Granted)]
    [InlineData("GET", "/pipeline/apis/v2beta1/runs?namespace=alice&page_size=10", "kubeflow.example.com", "alice@example.com", ReasonCode.Granted)]
    [InlineData("GET", "/pipeline/apis/v2beta1/runs?namespace=alice&page_size=10", "kubeflow.example.com", "mallory@example.com", ReasonCode.NoAccess)]
    [InlineData("GET", "/apis/v1beta1/runs?resourceReferenceKey.type=5&resourceReferenceKey.id=alice", "kubeflow.example.com", "alice@example.com", ReasonCode.Granted)]
    [InlineData("GET", "/katib/fetch_experiments/?namespace=alice", "kubeflow.example.com", "alice@example.com", ReasonCode.Granted)]
    [InlineData("GET", "/pipeline/k8s/pod/logs?podname=p&podnamespace[]=alice", "kubeflow.example.com", "alice@example.com", ReasonCode.Granted)]
    [InlineData("GET", "/API/activities/alice", "kubeflow.example.com", "alice@example.com", ReasonCode.Granted)]
    [InlineData("POST", "/v1/models/m:predict", "m-predictor.alice.example.com", "alice@example.com", ReasonCode.Granted)]
    [InlineData("GET", "/_/jupyter/?ns=alice", "kubeflow.example.com", "mallory@example.com", ReasonCode.Authenticated)]
    public void Decide_WarmRequest_AllocatesNothing(string method, string target, string host, string user, ReasonCode expected)
    {
        var authorizer = Authorizer(user);
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = method, Path = target, Host = host };
        authorizer.Decide(input);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Decision decision = default;
        for (var i = 0; i < 100; i++)
        {
            decision = authorizer.Decide(input);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(expected, decision.Reason);
        Assert.Equal(0, allocated);
    }

    private static Authorizer Authorizer(string user)
    {
        var index = new AccessIndex(RoleMap.Default, new FakeTimeProvider());
        ProfileRecord[] profiles = [Profile("alice", "alice@example.com"), Profile("bob", "bob@example.com")];
        index.ReplaceAll(profiles, [], Adopting(profiles));
        var options = new ExtAuthzOptions();
        options.Policy.KServeDomains = ["example.com"];
        options.ApplyDefaults();
        return DecisionPipeline.Build(options, new FixedAuthenticator(AuthenticationResult.Success(Caller(user))), index).Authorizer;
    }

    /// <summary>Every request carries the same validated token: the warm token-cache hit, without the cache.</summary>
    private sealed class FixedAuthenticator(AuthenticationResult result) : IAuthenticator
    {
        public AuthenticationResult Authenticate(CheckInput input) => result;
    }
}
