using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Namespaces;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Access;

/// <summary>
/// Steps 4, 6 and 7 of a Check against the current <see cref="AccessSnapshot"/>, in the order of DESIGN §2 step 7:
/// admin paths, cluster admins, no namespace, no Profile, owner / admin / edit, view (safe methods, no upgrade),
/// everyone else. Reads one snapshot per call, takes no lock, and allocates nothing on an allow.
/// </summary>
public sealed class KubeflowAccessPolicy : IAccessPolicy
{
    private const string NotLoadedDetail = "no access index has loaded";
    private const string AuthenticatedDetail = "the request names no namespace";
    // The user and the namespace travel in fields of their own (metadata, log line): the text stays constant, so the
    // commonest deny allocates nothing.
    private const string NoGrantDetail = "the user has no grant in the namespace";
    private const string AdminPathDetail = "the path is an admin path (Policy:AdminPaths)";
    private const string SameNamespaceDetail = "source.principal is in the destination's profile namespace";

    private readonly AccessIndex _index;
    private readonly GrantTable _clusterAdmins;
    private readonly PathPatternSet _adminPaths;
    private readonly string[] _safeMethods;
    private readonly NamespaceResolver _resolver;
    private readonly ServiceCallerRule[] _serviceCallers;

    public KubeflowAccessPolicy(
        AccessIndex index,
        IEnumerable<string> clusterAdmins,
        PathPatternSet adminPaths,
        IEnumerable<string> safeMethods,
        NamespaceResolver resolver,
        IEnumerable<ServiceCallerRule> serviceCallers)
    {
        _index = index;
        _clusterAdmins = GrantTable.Create(
            clusterAdmins.Select(a => KeyValuePair.Create(a, new Grant(AccessRole.ClusterAdmin, $"cluster admin {a} (Policy:ClusterAdmins)"))),
            (first, _) => first);
        _adminPaths = adminPaths;
        _safeMethods = [.. safeMethods];
        _resolver = resolver;
        _serviceCallers = [.. serviceCallers];
    }

    /// <summary>The policy of a validated configuration.</summary>
    public static KubeflowAccessPolicy Create(PolicyOptions policy, AccessIndex index) => new(
        index,
        policy.ClusterAdmins,
        PathPatternSet.Parse(policy.AdminPaths),
        policy.SafeMethods,
        NamespaceResolver.Create(
            policy.NamespaceRules,
            policy.KServeDomains,
            Enum.Parse<UnknownRoutes>(policy.UnknownRoutes),
            policy.RouteCatalogues,
            policy.InferenceHostTemplates,
            policy.DashboardHosts),
        policy.ServiceCallers.Select(c => new ServiceCallerRule(c.Principal, c.Methods, c.Paths)));

    public bool IsLoaded => _index.IsLoaded;

    public AccessIndex Index => _index;

    public Decision? AuthorizeServiceCaller(CheckInput input, in NormalizedPath path)
    {
        var source = input.SourcePrincipal;
        if (source.Length == 0)
        {
            return null;
        }

        // Kubeflow's ns-owner-access-istio rule (b): workloads of a profile namespace may call each other.
        if (_index.Current is { } snapshot
            && SpiffeId.TryGetNamespace(source, out var sourceNs)
            && SpiffeId.TryGetNamespace(input.DestinationPrincipal, out var destinationNs)
            && sourceNs.Span.SequenceEqual(destinationNs.Span)
            && snapshot.TryGet(destinationNs.Span, out var access))
        {
            return Decision.Allow(ReasonCode.ServiceCaller, null, access.Name, AccessRole.None, SameNamespaceDetail);
        }

        foreach (var rule in _serviceCallers)
        {
            if (rule.Matches(source, input.Method, path.Path.Span))
            {
                return Decision.Allow(ReasonCode.ServiceCaller, null, null, AccessRole.None, rule.Detail);
            }
        }

        return null;
    }

    public Decision Authorize(CheckInput input, in NormalizedPath path, Principal principal)
    {
        var snapshot = _index.Current;
        if (snapshot is null)
        {
            return Decision.Deny(ReasonCode.NoAccess, NotLoadedDetail, principal);
        }

        var clusterAdmin = _clusterAdmins.Find(principal.UserId);
        if (_adminPaths.Matches(path.Path.Span))
        {
            return clusterAdmin is not null
                ? Decision.Allow(ReasonCode.ClusterAdmin, principal, null, AccessRole.ClusterAdmin, clusterAdmin.Detail)
                : Decision.Deny(ReasonCode.AdminOnly,
                    ExplainAdminCaseVariant(principal) is { } nearMiss ? $"{AdminPathDetail}; {nearMiss}" : AdminPathDetail, principal);
        }

        // Details name a request value only when it came from the normalised path or the destination (never a query
        // value or a host label, which may be a secret): NamespaceCandidate.Shown.
        var resolved = _resolver.Resolve(input, path, snapshot);
        switch (resolved.Outcome)
        {
            case NamespaceOutcome.Conflict:
                return Decision.Deny(ReasonCode.NamespaceConflict,
                    $"the request names namespaces {resolved.Shown} and {resolved.OtherShown} ({resolved.Rule})", principal);
            case NamespaceOutcome.Invalid:
                return Decision.Deny(ReasonCode.NoAccess,
                    $"{resolved.Shown} is not a namespace name ({resolved.Rule})", principal);
            case NamespaceOutcome.UnknownRoute:
                return clusterAdmin is not null
                    ? Decision.Allow(ReasonCode.ClusterAdmin, principal, null, AccessRole.ClusterAdmin, clusterAdmin.Detail)
                    : Decision.Deny(ReasonCode.UnknownRoute, $"no route of the catalogue describes this request ({resolved.Rule})", principal);
        }

        NamespaceAccess? access = null;
        var named = resolved.Outcome == NamespaceOutcome.Found && snapshot.TryGet(resolved.Value.Span, out access);
        if (clusterAdmin is not null)
        {
            var ns = named ? access!.Name : resolved.Outcome == NamespaceOutcome.Found ? resolved.Value.ToString() : null;
            return Decision.Allow(ReasonCode.ClusterAdmin, principal, ns, AccessRole.ClusterAdmin, clusterAdmin.Detail);
        }

        if (resolved.Outcome == NamespaceOutcome.None)
        {
            return Decision.Allow(ReasonCode.Authenticated, principal, null, AccessRole.None, AuthenticatedDetail);
        }

        if (!named)
        {
            // A Profile that exists but is not adopted is named with the reason (a real namespace, not a secret).
            // Otherwise a namespace read from the path is shown; one read from the query or host is not (it may be a secret).
            var value = resolved.Value.ToString();
            if (snapshot.TryGetUnadopted(value, out var unadopted))
            {
                return Decision.Deny(ReasonCode.NoAccess, unadopted, principal, value);
            }

            var shown = resolved.Source == NamespaceSource.Path ? value : null;
            var detail = shown is null ? $"no Profile named by {resolved.Shown} ({resolved.Rule})" : $"no Profile named {shown}";
            return Decision.Deny(ReasonCode.NoAccess, detail, principal, shown);
        }

        var grant = access!.Find(principal);
        if (grant is null)
        {
            // The constant text unless an id differing only in case holds a grant (then the deny says so, for explain).
            var nearMiss = access.ExplainCaseVariant(principal) ?? ExplainAdminCaseVariant(principal);
            return Decision.Deny(ReasonCode.NoAccess, nearMiss is null ? NoGrantDetail : $"{NoGrantDetail}; {nearMiss}", principal, access.Name);
        }

        if (grant.Role == AccessRole.View && !IsReadOnly(input))
        {
            var what = input.GetHeader(HeaderSlots.Upgrade) is { } upgrade ? $"{input.Method} with upgrade: {upgrade}" : input.Method;
            return Decision.Deny(ReasonCode.ReadOnly, $"{grant.Detail} allows no {what}", principal, access.Name) with { Role = grant.Role };
        }

        return Decision.Allow(ReasonCode.Granted, principal, access.Name, grant.Role, grant.Detail);
    }

    /// <summary>The index as <c>/readyz</c> shows it, with <paramref name="source"/>: the index source's own state.</summary>
    public object Describe(object? source)
    {
        var snapshot = _index.Current;
        return new
        {
            loaded = snapshot is not null,
            version = snapshot?.Version,
            updatedAt = snapshot?.UpdatedAt,
            profiles = snapshot?.ProfileCount,
            unadoptedProfiles = snapshot?.UnadoptedCount,
            roleBindings = snapshot?.RoleBindingCount,
            clusterAdmins = _clusterAdmins.Count,
            source,
        };
    }

    private string? ExplainAdminCaseVariant(Principal principal) =>
        _clusterAdmins.FindCaseVariant(principal.UserId) is { } admin ? $"cluster admin {admin} differs only in case" : null;

    /// <summary>A viewer's request: a safe method and no protocol upgrade (a WebSocket to a kernel runs code).</summary>
    private bool IsReadOnly(CheckInput input) =>
        Array.IndexOf(_safeMethods, input.Method) >= 0 && input.GetHeader(HeaderSlots.Upgrade) is null;
}
