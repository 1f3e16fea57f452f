using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Grpc;
using ExtAuthz.Server.Grpc.Wire;
using ExtAuthz.Testing;
using Google.Protobuf;

namespace ExtAuthz.Kubernetes.Tests.Golden;

/// <summary>
/// A golden case as Envoy would send it: an Istio-shaped CheckRequest (with a spoofed <c>kubeflow-userid</c> and
/// <c>kubeflow-groups</c> on every request) serialized, read by both CheckRequest readers, decided, and written by
/// the response writer the host uses.
/// </summary>
internal static class GoldenWire
{
    private static readonly ExtAuthzOptions s_options = Options();
    private static readonly CheckResponseWriter s_writer = new(s_options);
    private static readonly SlotNames s_names = new(HeaderSlots.Default);

    public static byte[] RequestBytes(GoldenSuite suite, GoldenCase golden)
    {
        var request = golden.Request;
        var headers = new List<KeyValuePair<string, string>>
        {
            new("kubeflow-userid", "spoofed@example.com"),
            new("kubeflow-groups", "spoofed-admins"),
        };
        if (request.TryGetProperty("headers", out var extra))
        {
            headers.AddRange(extra.EnumerateObject().Select(h => KeyValuePair.Create(h.Name, h.Value.GetString()!)));
        }

        if (suite.Authorization(golden) is { } authorization)
        {
            headers.Add(new("authorization", authorization));
        }

        return Requests.Istio(
            request.GetProperty("method").GetString()!,
            request.GetProperty("path").GetString()!,
            request.TryGetProperty("host", out var host) ? host.GetString()! : "kubeflow.example.com",
            headers,
            request.TryGetProperty("source", out var source) ? source.GetString()! : string.Empty,
            request.TryGetProperty("destination", out var destination) ? destination.GetString()! : string.Empty).ToByteArray();
    }

    /// <summary>The generated-classes reader's decision and answer.</summary>
    public static (Decision Decision, CheckResponse Response) Generated(Authorizer authorizer, byte[] bytes)
    {
        var input = new CheckInput(HeaderSlots.Default);
        CheckRequestReader.Read(CheckRequest.Parser.ParseFrom(bytes), input);
        var decision = authorizer.Decide(input);
        return (decision, s_writer.Write(decision));
    }

    /// <summary>The lean reader's decision and answer.</summary>
    public static (Decision Decision, CheckResponse Response) Lean(Authorizer authorizer, byte[] bytes)
    {
        var decision = authorizer.Decide(CheckMarshallers.Read(bytes, s_names));
        return (decision, s_writer.Write(decision));
    }

    private static ExtAuthzOptions Options()
    {
        var options = new ExtAuthzOptions();
        options.ApplyDefaults();
        return options;
    }
}
