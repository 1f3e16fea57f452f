using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Operations;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// Binds <see cref="CheckWireService"/> to <c>/envoy.service.auth.v3.Authorization/Check</c> and the v2 path with
/// our own marshallers, in place of the generated service binder (Grpc.AspNetCore's IServiceMethodProvider hook).
/// </summary>
internal sealed class CheckWireMethodProvider : IServiceMethodProvider<CheckWireService>
{
    public const string V3Service = "envoy.service.auth.v3.Authorization";
    public const string V2Service = "envoy.service.auth.v2.Authorization";

    private readonly SlotNames _names;
    private readonly MalformedRequestLog _malformed;

    public CheckWireMethodProvider(SlotNames names, MalformedRequestLog malformed)
    {
        _names = names;
        _malformed = malformed;
    }

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<CheckWireService> context)
    {
        var request = CheckMarshallers.Request(_names, _malformed);
        foreach (var service in new[] { V3Service, V2Service })
        {
            var method = new Method<CheckInput, SerializedResponse>(MethodType.Unary, service, "Check", request, CheckMarshallers.Response);
            context.AddUnaryMethod(method, [], static (service, input, call) => service.Check(input, call));
        }
    }
}
