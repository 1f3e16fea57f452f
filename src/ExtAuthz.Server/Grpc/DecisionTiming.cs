using System.Security.Cryptography;
using Grpc.Core;

namespace ExtAuthz.Server.Grpc;

/// <summary>What a Check's caller asked for with the <c>extauthz-decision-time</c> request header.</summary>
internal enum TimingAsk
{
    /// <summary>Nothing (Envoy): the reused answer, counted and logged.</summary>
    None,

    /// <summary>The server's decision time in <c>dynamic_metadata</c> (the CLI).</summary>
    Timed,

    /// <summary>The start-up warm-up's own Check over loopback: timed, neither counted nor logged.</summary>
    WarmUp,
}

/// <summary>
/// A caller that sends the gRPC request header <c>extauthz-decision-time</c> (the CLI does; Envoy never does) gets the
/// server's own decision time in the CheckResponse's <c>dynamic_metadata</c> as <c>decision_time_us</c>, so it can tell
/// the server's time from the round trip. Every other Check pays one header lookup for it, and nothing else. The
/// warm-up's own Checks carry a value nobody else can know (<see cref="WarmUpValue"/>, random per process), so no
/// caller can have a Check of its own left out of the metrics and the decision log.
/// </summary>
internal static class DecisionTiming
{
    public const string RequestHeader = "extauthz-decision-time";

    public const string MetadataField = "decision_time_us";

    public static string WarmUpValue { get; } = "warm-up " + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public static TimingAsk Asked(ServerCallContext context) => Asked(context.GetHttpContext().Request.Headers);

    public static TimingAsk Asked(IHeaderDictionary headers)
    {
        if (!headers.TryGetValue(RequestHeader, out var value))
        {
            return TimingAsk.None;
        }

        return value.Count == 1 && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(value[0] ?? string.Empty), System.Text.Encoding.UTF8.GetBytes(WarmUpValue))
            ? TimingAsk.WarmUp
            : TimingAsk.Timed;
    }
}
