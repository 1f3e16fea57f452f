namespace ExtAuthz.Server.Hosting;

/// <summary>
/// Which of our listeners a connection arrived on, set on the connection by that listener's own connection
/// middleware. Requests are routed by it, never by the <c>:authority</c> the client wrote: Istio's Envoy sends the
/// cluster name there (<c>outbound_.9000_._.extauthz.extauthz-system.svc.cluster.local</c>), with no port.
/// </summary>
internal sealed class Listener
{
    public static readonly Listener Grpc = new("grpc");

    public static readonly Listener Ops = new("ops");

    /// <summary>The workspace and sharing API (<c>Server:ApiPort</c>), when <c>SelfService:Enabled</c>.</summary>
    public static readonly Listener Api = new("api");

    private Listener(string name) => Name = name;

    public string Name { get; }

    public override string ToString() => Name;

    /// <summary>Marks every connection of this listener; runs once per connection, before HTTP is spoken.</summary>
    public void Mark(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) =>
        listen.Use(next => connection =>
        {
            connection.Features.Set(this);
            return next(connection);
        });
}
