using System.Diagnostics;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// One Activity per Check, on the <c>ExtAuthz</c> ActivitySource (any listener, such as an OpenTelemetry tracer,
/// can export it). It is created after the decision with the Check's real start time, so the hot path pays nothing
/// when nobody listens. Parent: the trace context of the Check call's own gRPC metadata (as ASP.NET Core read it
/// into the current request Activity) when Envoy sent one, else the traceparent / b3 headers of the client request.
/// </summary>
internal static class CheckTracing
{
    public const string SourceName = "ExtAuthz";

    public static readonly ActivitySource Source = new(SourceName);

    public static void Trace(in Decision decision, CheckInput input, DateTimeOffset startedAt, DateTimeOffset endedAt)
    {
        if (!Source.HasListeners())
        {
            return;
        }

        var parent = ParentOf(input);
        var activity = Source.StartActivity("extauthz.check", ActivityKind.Server, parent, startTime: startedAt);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("http.request.method", input.Method);
        activity.SetTag("extauthz.outcome", DecisionOutcome.Names[DecisionOutcome.Of(decision)]);
        activity.SetTag("extauthz.reason", decision.Reason.ToWire());
        activity.SetTag("extauthz.status", decision.HttpStatus);
        if (decision.Namespace is { } ns)
        {
            activity.SetTag("extauthz.namespace", ns);
        }

        activity.SetEndTime(endedAt.UtcDateTime);
        activity.Stop();
    }

    private static ActivityContext ParentOf(CheckInput input)
    {
        // ASP.NET Core parents its request Activity on the call's traceparent; a remote parent means Envoy sent one.
        if (Activity.Current is { } current && current.HasRemoteParent)
        {
            return current.Context;
        }

        if (TraceParents.TryRead(input, out var parent))
        {
            return parent;
        }

        return Activity.Current?.Context ?? default;
    }
}
