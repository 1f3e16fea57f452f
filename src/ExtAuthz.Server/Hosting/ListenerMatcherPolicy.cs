using Microsoft.AspNetCore.Routing.Matching;

namespace ExtAuthz.Server.Hosting;

/// <summary>
/// Keeps each endpoint on the listener its <see cref="ListenerMetadata"/> names: a Check on the ops port, or
/// <c>/readyz</c> on the gRPC port, matches nothing (404; a gRPC client reads UNIMPLEMENTED). Fails closed: an
/// endpoint without the metadata, or a connection without a listener mark, matches nowhere. The authority is never
/// read, so Istio's portless cluster-name authority reaches the Check, and no authority reaches the other port.
/// </summary>
internal sealed class ListenerMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    // Before the host and HTTP-method policies, which read the request; this reads only the connection.
    public override int Order => -1000;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => endpoints.Count > 0;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var arrived = httpContext.Features.Get<Listener>();
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i))
            {
                continue;
            }

            var wanted = candidates[i].Endpoint.Metadata.GetMetadata<ListenerMetadata>();
            if (wanted is null || !ReferenceEquals(wanted.Listener, arrived))
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
