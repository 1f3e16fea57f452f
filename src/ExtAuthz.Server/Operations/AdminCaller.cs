using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// Who is calling an admin endpoint of the ops port: the caller's token is read from the request's headers and
/// validated exactly as a Check would validate it (same issuers, same sources, same revocations), and only a
/// cluster admin (<c>Policy:ClusterAdmins</c>) passes.
/// </summary>
internal sealed class AdminCaller
{
    private readonly IAuthenticator _authenticator;
    private readonly IRevocationList _revocations;
    private readonly HeaderSlots _slots;
    private readonly HashSet<string> _admins;

    public AdminCaller(IAuthenticator authenticator, IRevocationList revocations, HeaderSlots slots, ExtAuthzOptions options)
    {
        _authenticator = authenticator;
        _revocations = revocations;
        _slots = slots;
        // Cluster admins match exactly, byte for byte, as at Check (DESIGN §3).
        _admins = new HashSet<string>(options.Policy.ClusterAdmins, StringComparer.Ordinal);
    }

    /// <summary>The admin principal, or the HTTP status (401 / 403) and reason code (spelled as a Check's) to answer with.</summary>
    public (Principal? Admin, int Status, string Reason) Authenticate(HttpRequest request)
    {
        var (principal, failure) = Identify(request);
        if (principal is null)
        {
            return (null, 401, failure.ToWire());
        }

        return IsClusterAdmin(principal.UserId) ? (principal, 200, "ok") : (null, 403, ReasonCode.AdminOnly.ToWire());
    }

    /// <summary>The caller proven by a token in any configured source, not revoked; or why there is none.</summary>
    public (Principal? Principal, ReasonCode Failure) Identify(HttpRequest request)
    {
        var result = Validate(request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())), request.Method, request.Path);
        if (result.Principal is not { } principal)
        {
            return (null, result.Failure);
        }

        return _revocations.Find(principal) is not null ? (null, ReasonCode.TokenRevoked) : (principal, ReasonCode.Authenticated);
    }

    public bool IsClusterAdmin(string userId) => _admins.Contains(userId);

    public bool IsRevoked(Principal principal) => _revocations.Find(principal) is not null;

    /// <summary>Validates a token given as text, as if it came in the Authorization header of a Check.</summary>
    public AuthenticationResult ValidateToken(string token) =>
        Validate([KeyValuePair.Create("authorization", $"Bearer {token}")], "GET", "/");

    private AuthenticationResult Validate(IEnumerable<KeyValuePair<string, string>> headers, string method, string path)
    {
        var input = new CheckInput(_slots) { HasHttp = true, Method = method, Path = path };
        foreach (var (name, value) in headers)
        {
            if (_slots.TryGetSlot(name, out var slot))
            {
                input.AddHeader(slot, value);
            }
        }

        return _authenticator.Authenticate(input);
    }
}
