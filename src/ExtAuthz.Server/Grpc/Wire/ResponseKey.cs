using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// Everything of a <see cref="Decision"/> that reaches the response bytes, apart from a redirect location (never
/// cached): equal keys give equal bytes.
/// </summary>
internal readonly record struct ResponseKey(AnswerIdentity? Identity, bool Allowed, int HttpStatus, ReasonCode Reason,
    string? Namespace, AccessRole Role, string? Detail, bool DryRun, string? UpstreamCookie, string? UpstreamAuthorization)
{
    public static ResponseKey Of(in Decision decision, AnswerIdentity? identity) => new(identity, decision.Allowed,
        decision.HttpStatus, decision.Reason, decision.Namespace, decision.Role, decision.Detail, decision.DryRun,
        decision.UpstreamCookie, decision.UpstreamAuthorization);
}
