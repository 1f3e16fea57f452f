using ExtAuthz.Core.Access;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Benchmarks.Fixtures;

/// <summary>Stands in for an index hit: the caller owns every namespace; the decision carries precomputed strings.</summary>
public sealed class StubAccess : IAccessPolicy
{
    public bool IsLoaded => true;

    public Decision? AuthorizeServiceCaller(CheckInput input, in NormalizedPath path) => null;

    public Decision Authorize(CheckInput input, in NormalizedPath path, Principal principal) =>
        Decision.Allow(ReasonCode.Granted, principal, "alice", AccessRole.Owner, "owner of profile alice");
}
