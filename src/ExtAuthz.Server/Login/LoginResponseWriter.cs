using Envoy.Config.Core.V3;
using Envoy.Service.Auth.V3;
using Envoy.Type.V3;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Login;
using Google.Protobuf.WellKnownTypes;

namespace ExtAuthz.Server.Login;

/// <summary>
/// A login answer as Envoy needs it: a denied CheckResponse (gRPC status OK, a non-zero <c>status.code</c>) whatever
/// the HTTP status, 200 included, so Envoy sends it to the browser as it is. Its headers are plain entries (the deny
/// path removes, then adds each), so several <c>Set-Cookie</c> headers all arrive.
/// </summary>
internal static class LoginResponseWriter
{
    private const int GrpcUnauthenticated = 16;
    private const int GrpcPermissionDenied = 7;

    public static CheckResponse Write(LoginAnswer answer)
    {
        var denied = new DeniedHttpResponse
        {
            Status = new HttpStatus { Code = (StatusCode)answer.Status },
            Body = answer.Body,
        };
        foreach (var (name, value) in answer.Headers)
        {
            denied.Headers.Add(new HeaderValueOption { Header = new HeaderValue { Key = name, Value = value }, Append = false });
        }

        var metadata = new Struct();
        metadata.Fields["reason"] = Value.ForString(answer.Reason.ToWire());
        metadata.Fields["allowed"] = Value.ForBool(false);
        metadata.Fields["detail"] = Value.ForString(answer.Detail);
        if (answer.Principal is { } principal)
        {
            metadata.Fields["user"] = Value.ForString(principal.UserId);
        }

        return new CheckResponse
        {
            Status = new Google.Rpc.Status
            {
                Code = answer.Status == 401 ? GrpcUnauthenticated : GrpcPermissionDenied,
                Message = answer.Reason.ToWire(),
            },
            DeniedResponse = denied,
            DynamicMetadata = metadata,
        };
    }

    /// <summary>The decision the recorder counts and logs for this answer.</summary>
    public static Decision ToDecision(LoginAnswer answer) => Decision.Deny(answer.Reason, answer.Detail, answer.Principal) with
    {
        HttpStatus = answer.Status,
        RedirectLocation = null,
    };
}
