using ExtAuthz.Core.Access;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Decisions;

/// <summary>
/// One Check, in the order of DESIGN §2: normalise, public, service caller, authenticate, resolve and
/// authorize, then dry-run. Every step answers from memory; every outcome is a <see cref="Decision"/>, never an exception.
/// </summary>
public sealed class Authorizer
{
    private readonly PathPatternSet _publicPaths;
    private readonly WorkloadProbes _probes;
    private readonly IAuthenticator _authenticator;
    private readonly IAccessPolicy _access;
    private readonly LoginRedirect _login;
    private readonly IRevocationList? _revocations;
    private readonly DryRunPolicy _dryRun;

    private readonly string? _loginPrefix;

    public Authorizer(PathPatternSet publicPaths, IAuthenticator authenticator, IAccessPolicy access, LoginRedirect login,
        IRevocationList? revocations = null, DryRunPolicy? dryRun = null, WorkloadProbes? probes = null, string? loginPrefix = null)
    {
        _loginPrefix = loginPrefix;
        _publicPaths = publicPaths;
        _probes = probes ?? WorkloadProbes.None;
        _authenticator = authenticator;
        _access = access;
        _login = login;
        _revocations = revocations;
        _dryRun = dryRun ?? DryRunPolicy.Off;
    }

    public IAccessPolicy Access => _access;

    public DryRunPolicy DryRun => _dryRun;

    /// <summary>The answer to one Check: the decision, or under dry-run an allow that keeps the deny's reason.</summary>
    /// <remarks>A request for our own login paths is answered <see cref="ReasonCode.LoginFlow"/>: the caller hands it to the login flow.</remarks>
    public Decision Decide(CheckInput input)
    {
        var decision = Evaluate(input);
        return decision.Reason == ReasonCode.LoginFlow ? decision : _dryRun.Apply(decision);
    }

    /// <summary>The deny that marks a request for the login flow (never sent as it is).</summary>
    public static Decision LoginPath { get; } = Decision.Deny(ReasonCode.LoginFlow, "login path");

    private Decision Evaluate(CheckInput input)
    {
        // Step 1: a CheckRequest without an HTTP request (a TCP check, or garbage) has nothing to authorize.
        if (!input.HasHttp || input.Method.Length == 0)
        {
            return Decision.Deny(ReasonCode.MalformedRequest, input.HasHttp ? "no method" : "no attributes.request.http");
        }

        // Step 2: everything below reads the normalised path.
        var path = PathNormalizer.Normalize(input.Path);

        // With our own login, its paths are ours: answered by the login flow, never public, never forwarded.
        if (_loginPrefix is not null && IsUnder(path.Path.Span, _loginPrefix))
        {
            return LoginPath;
        }

        // Step 3: public paths need no identity; probe paths neither, but only at a workload and not through a
        // gateway. An ambiguous path is never public.
        if (!path.IsAmbiguous && _publicPaths.Matches(path.Path.Span))
        {
            return Decision.Allow(ReasonCode.Public, null, null, AccessRole.None, "public path");
        }

        if (_probes.Allows(input, path))
        {
            return Decision.Allow(ReasonCode.Public, null, null, AccessRole.None, "probe path at a workload");
        }

        // Step 4: workloads calling workloads (sidecar mode) need no user token.
        if (!path.IsAmbiguous && _access.AuthorizeServiceCaller(input, path) is { } service)
        {
            return service;
        }

        // Step 5: authenticate.
        var auth = _authenticator.Authenticate(input);
        if (auth.Principal is not { } principal)
        {
            return Unauthenticated(input, path, auth);
        }

        // A valid token that was revoked (on any replica) is no longer a valid token.
        if (_revocations?.Find(principal) is { } revoked)
        {
            return Decision.Deny(ReasonCode.TokenRevoked, $"token of {principal.UserId} revoked at {revoked.RevokedAt:u}", principal);
        }

        // An ambiguous path is reported only after authentication: an anonymous caller learns nothing from it.
        if (path.IsAmbiguous)
        {
            return Decision.Deny(ReasonCode.AmbiguousPath, $"path is ambiguous ({path.Problem})", principal);
        }

        // Steps 6 and 7: which namespace, and may this principal act in it.
        return _access.Authorize(input, path, principal);
    }

    private static bool IsUnder(ReadOnlySpan<char> path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || path[prefix.Length] == '/');

    private Decision Unauthenticated(CheckInput input, in NormalizedPath path, in AuthenticationResult auth)
    {
        var location = _login.LocationFor(input, path);
        if (location is not null)
        {
            return Decision.Redirect(auth.Failure, auth.Detail, location);
        }

        return Decision.Deny(auth.Failure, auth.Detail);
    }
}
