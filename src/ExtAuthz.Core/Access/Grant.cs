using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Core.Access;

/// <summary>One grant in one namespace with its reason text, built once at index time so a lookup allocates nothing.</summary>
/// <param name="Role">What the grant allows.</param>
/// <param name="Detail">Which object granted it, e.g. <c>owner of profile alice</c>.</param>
public sealed record Grant(AccessRole Role, string Detail);
