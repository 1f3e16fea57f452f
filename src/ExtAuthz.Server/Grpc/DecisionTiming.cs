using Grpc.Core;

namespace ExtAuthz.Server.Grpc;

/// <summary>
/// A caller that sends the gRPC request header <c>extauthz-decision-time</c> (the CLI does; Envoy never does) gets the
/// server's own decision time in the CheckResponse's <c>dynamic_metadata</c> as <c>decision_time_us</c>, so it can tell
/// the server's time from the round trip. Every other Check pays one header lookup for it, and nothing else.
/// </summary>
internal static class DecisionTiming
{
    public const string RequestHeader = "extauthz-decision-time";

    public const string MetadataField = "decision_time_us";

    public static bool IsRequested(ServerCallContext context) =>
        context.GetHttpContext().Request.Headers.ContainsKey(RequestHeader);
}
