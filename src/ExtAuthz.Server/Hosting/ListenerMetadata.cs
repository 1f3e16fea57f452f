namespace ExtAuthz.Server.Hosting;

/// <summary>Endpoint metadata: the one listener an endpoint answers on (<see cref="ListenerMatcherPolicy"/>).</summary>
internal sealed class ListenerMetadata
{
    public ListenerMetadata(Listener listener) => Listener = listener;

    public Listener Listener { get; }
}

/// <summary>Puts endpoints on one listener.</summary>
internal static class ListenerConventions
{
    public static TBuilder OnListener<TBuilder>(this TBuilder builder, Listener listener) where TBuilder : IEndpointConventionBuilder
    {
        var metadata = new ListenerMetadata(listener);
        builder.Add(endpoint => endpoint.Metadata.Add(metadata));
        return builder;
    }
}
