using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Access;

/// <summary>
/// Steps 4, 6 and 7 of a Check: service callers, namespace resolution, and the grant, read from the current
/// index snapshot without locks or I/O.
/// </summary>
public interface IAccessPolicy
{
    /// <summary>True once an index source has loaded; until then a valid token on a protected path is 403.</summary>
    bool IsLoaded { get; }

    /// <summary>Step 4: an allow for a service caller that needs no user token, or null.</summary>
    Decision? AuthorizeServiceCaller(CheckInput input, in NormalizedPath path);

    /// <summary>Steps 6 and 7 for an authenticated caller on a non-ambiguous path.</summary>
    Decision Authorize(CheckInput input, in NormalizedPath path, Principal principal);
}
