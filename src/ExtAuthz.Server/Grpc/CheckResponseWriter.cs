using System.Text;
using System.Text.Json;
using Envoy.Config.Core.V3;
using Envoy.Service.Auth.V3;
using Envoy.Type.V3;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;

namespace ExtAuthz.Server.Grpc;

/// <summary>
/// Step 8: turns a <see cref="Decision"/> into a CheckResponse. gRPC status is OK in every case; a deny is a
/// non-zero <c>status.code</c> plus a <c>denied_response</c>. Header mutations always set the <c>append</c>
/// wrapper explicitly, because only that knob is honoured the same way by every Envoy version.
/// </summary>
internal sealed class CheckResponseWriter
{
    private const int GrpcUnauthenticated = 16;
    private const int GrpcPermissionDenied = 7;

    private readonly IdentityHeaders _identity;
    private readonly string _realm;

    public CheckResponseWriter(ExtAuthzOptions options)
    {
        _identity = new IdentityHeaders(options.Headers);
        _realm = options.Identity.Realm;
    }

    public IdentityHeaders IdentityHeaders => _identity;

    public CheckResponse Write(in Decision decision) => decision.Allowed ? Allow(decision) : Deny(decision);

    private CheckResponse Allow(in Decision decision)
    {
        var ok = new OkHttpResponse();
        var principal = decision.Principal;
        if (principal is null)
        {
            ok.HeadersToRemove.Add(_identity.All);
        }
        else
        {
            ok.Headers.Add(Set(_identity.UserId, principal.UserIdHeaderValue));
            if (principal.GroupsHeaderValue is { } groups)
            {
                ok.Headers.Add(Set(_identity.Groups, groups));
                ok.HeadersToRemove.Add(_identity.AllButUserIdAndGroups);
            }
            else
            {
                ok.HeadersToRemove.Add(_identity.AllButUserId);
            }
        }

        // Our own login: our cookies never reach the upstream app, and the session's ID token only when asked for.
        if (decision.UpstreamCookie is { Length: 0 })
        {
            ok.HeadersToRemove.Add("cookie");
        }
        else if (decision.UpstreamCookie is { } cookie)
        {
            ok.Headers.Add(Set("cookie", cookie));
        }

        if (decision.UpstreamAuthorization is { } authorization)
        {
            ok.Headers.Add(Set("authorization", authorization));
        }

        return new CheckResponse
        {
            Status = new Google.Rpc.Status { Code = 0 },
            OkResponse = ok,
            DynamicMetadata = Metadata(decision),
        };
    }

    private CheckResponse Deny(in Decision decision)
    {
        var denied = new DeniedHttpResponse
        {
            Status = new HttpStatus { Code = (StatusCode)decision.HttpStatus },
            Body = Body(decision),
        };
        denied.Headers.Add(Header("content-type", "application/json"));
        denied.Headers.Add(Header("cache-control", "no-store"));
        if (decision.HttpStatus == 401)
        {
            denied.Headers.Add(Header("www-authenticate", Challenge(decision)));
        }
        else if (decision.HttpStatus == 302 && decision.RedirectLocation is { } location)
        {
            denied.Headers.Add(Header("location", location));
        }

        return new CheckResponse
        {
            Status = new Google.Rpc.Status
            {
                Code = decision.Reason.IsUnauthenticated() ? GrpcUnauthenticated : GrpcPermissionDenied,
                Message = decision.Reason.ToWire(),
            },
            DeniedResponse = denied,
            DynamicMetadata = Metadata(decision),
        };
    }

    private string Challenge(in Decision decision) => decision.Reason == ReasonCode.MissingToken
        ? $"Bearer realm=\"{_realm}\""
        : $"Bearer realm=\"{_realm}\", error=\"invalid_token\", error_description=\"{decision.Reason.ToWire()}\"";

    private static string Body(in Decision decision)
    {
        var error = decision.Reason.IsUnauthenticated() ? "unauthenticated" : decision.HttpStatus == 503 ? "unavailable" : "forbidden";
        return $"{{\"error\":\"{error}\",\"reason\":\"{decision.Reason.ToWire()}\"}}";
    }

    /// <summary>user, namespace, role, reason and detail, for later filters and Envoy's access log.</summary>
    private static Struct Metadata(in Decision decision)
    {
        var metadata = new Struct();
        metadata.Fields["reason"] = Value.ForString(decision.Reason.ToWire());
        metadata.Fields["allowed"] = Value.ForBool(decision.Allowed);
        if (decision.Principal is { } principal)
        {
            metadata.Fields["user"] = Value.ForString(principal.UserId);
        }

        if (decision.Namespace is { } ns)
        {
            metadata.Fields["namespace"] = Value.ForString(ns);
        }

        if (decision.Role != AccessRole.None)
        {
            metadata.Fields["role"] = Value.ForString(decision.Role.ToWire());
        }

        if (decision.Detail is { } detail)
        {
            metadata.Fields["detail"] = Value.ForString(detail);
        }

        if (decision.DryRun)
        {
            metadata.Fields["dry_run"] = Value.ForBool(true);
        }

        return metadata;
    }

    /// <summary>Overwrite (or add) a request header: append=false, so a spoofed value is replaced.</summary>
    private static HeaderValueOption Set(string name, string value) => new()
    {
        Header = new HeaderValue { Key = name, Value = value },
        Append = false,
        AppendAction = HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd,
    };

    /// <summary>A header of a denied response; append=false (the deny path removes, then adds).</summary>
    private static HeaderValueOption Header(string name, string value) => new()
    {
        Header = new HeaderValue { Key = name, Value = value },
        Append = false,
    };
}
