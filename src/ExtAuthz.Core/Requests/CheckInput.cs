namespace ExtAuthz.Core.Requests;

/// <summary>
/// What a decision reads from one CheckRequest (DESIGN §2 step 1), independent of how it was parsed.
/// Only the headers registered in <see cref="HeaderSlots"/> are kept. Identity headers the client sent are never
/// read from here: they are only ever removed.
/// </summary>
public sealed class CheckInput
{
    private readonly string?[] _headers;

    public CheckInput(HeaderSlots slots)
    {
        Slots = slots;
        _headers = new string?[slots.Count];
    }

    public HeaderSlots Slots { get; }

    /// <summary>False when the CheckRequest carried no attributes.request.http (a TCP check or garbage).</summary>
    public bool HasHttp { get; set; }

    public string Method { get; set; } = string.Empty;

    /// <summary>The request target as Envoy saw it: path and query, not decoded.</summary>
    public string Path { get; set; } = string.Empty;

    public string Host { get; set; } = string.Empty;

    public string Protocol { get; set; } = string.Empty;

    public string SourcePrincipal { get; set; } = string.Empty;

    public string DestinationPrincipal { get; set; } = string.Empty;

    /// <summary>
    /// The browser session this request's cookie names, once resolved (a warm cache entry, or the reason there is
    /// none), for the authenticator; null when the request carries no session cookie or login is off.
    /// </summary>
    public object? Session { get; set; }

    public string? GetHeader(int slot) => _headers[slot];

    /// <summary>Stores a kept header; a repeated header is joined with ',' as Envoy joins them in the headers map.</summary>
    public void AddHeader(int slot, string value)
    {
        var existing = _headers[slot];
        _headers[slot] = existing is null ? value : string.Concat(existing, ",", value);
    }

    public void Reset()
    {
        Array.Clear(_headers);
        HasHttp = false;
        Session = null;
        Method = Path = Host = Protocol = SourcePrincipal = DestinationPrincipal = string.Empty;
    }
}
