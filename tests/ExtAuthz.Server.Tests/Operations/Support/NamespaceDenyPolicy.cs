using ExtAuthz.Core.Access;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Server.Tests.Operations.Support;

/// <summary>An index stand-in: the namespace is the first path segment after /notebook/, and nobody has a grant.</summary>
internal sealed class NamespaceDenyPolicy : IAccessPolicy
{
    public bool IsLoaded => true;

    public Decision? AuthorizeServiceCaller(CheckInput input, in NormalizedPath path) => null;

    public Decision Authorize(CheckInput input, in NormalizedPath path, Principal principal)
    {
        var ns = path.Path.ToString().Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault();
        return Decision.Deny(ReasonCode.NoAccess, $"{principal.UserId} has no grant in {ns}", principal, ns);
    }
}
