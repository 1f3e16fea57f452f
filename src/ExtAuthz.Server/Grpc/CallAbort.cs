namespace ExtAuthz.Server.Grpc;

/// <summary>
/// The caller's cancellation, read only when a Check has to wait (a session load, a login path): Kestrel's
/// <c>RequestAborted</c> takes a lock and a token source on first use, which a Check answered in memory never needs.
/// </summary>
internal readonly struct CallAbort
{
    private readonly HttpContext? _call;
    private readonly CancellationToken _token;

    public CallAbort(HttpContext call) => _call = call;

    public CallAbort(CancellationToken token) => _token = token;

    public CancellationToken Token => _call?.RequestAborted ?? _token;

    public static implicit operator CallAbort(CancellationToken token) => new(token);
}
