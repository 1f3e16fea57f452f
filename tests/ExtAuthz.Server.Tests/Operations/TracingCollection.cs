namespace ExtAuthz.Server.Tests.Operations;

/// <summary>
/// Tests that attach an ActivityListener to the <c>ExtAuthz</c> source. A listener is process-wide and makes the
/// readers keep the trace-context headers, so these run alone, after every parallel test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "Tracing listener";
}
