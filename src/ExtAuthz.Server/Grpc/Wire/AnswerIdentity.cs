using ExtAuthz.Core.Identity;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// The part of a principal that reaches an answer's bytes: its id, its <c>kubeflow-userid</c> value and its groups.
/// Made once per principal (kept in <see cref="Principal.ResponseCache"/>) with its hash, and equal by value, so
/// every token of one user shares the same cached answers and a lookup hashes no id again.
/// </summary>
internal sealed class AnswerIdentity : IEquatable<AnswerIdentity>
{
    private readonly int _hash;

    private AnswerIdentity(Principal principal)
    {
        UserId = principal.UserId;
        UserIdHeaderValue = principal.UserIdHeaderValue;
        GroupsHeaderValue = principal.GroupsHeaderValue;
        _hash = HashCode.Combine(UserId, UserIdHeaderValue, GroupsHeaderValue);
    }

    public string UserId { get; }

    public string UserIdHeaderValue { get; }

    public string? GroupsHeaderValue { get; }

    /// <summary>The principal's identity, made on its first answer; a race makes two equal instances, which is harmless.</summary>
    public static AnswerIdentity Of(Principal principal)
    {
        if (principal.ResponseCache is AnswerIdentity existing)
        {
            return existing;
        }

        var created = new AnswerIdentity(principal);
        principal.ResponseCache = created;
        return created;
    }

    public bool Equals(AnswerIdentity? other) => ReferenceEquals(this, other) || (other is not null && _hash == other._hash
        && UserId == other.UserId && UserIdHeaderValue == other.UserIdHeaderValue && GroupsHeaderValue == other.GroupsHeaderValue);

    public override bool Equals(object? obj) => Equals(obj as AnswerIdentity);

    public override int GetHashCode() => _hash;
}
