using ExtAuthz.Core.Namespaces.Catalogue;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// An app that proxies a request to the host its Referer names after a marker (the Pipelines UI 2.16's
/// <c>/_proxy/&lt;svc&gt;.&lt;ns&gt;.svc.cluster.local:80/</c>, applied to any request it receives): the namespace of that
/// host is read beside the route's, and a Referer naming a host of another shape names no namespace we could check.
/// </summary>
internal sealed class RefererProxy
{
    private const string Scheme = "http://";
    private const int MaxHost = 256;

    private readonly string _mount;
    private readonly string _marker;
    private readonly int _app;
    private readonly string _rule;

    public RefererProxy(CatalogueApp app, int appIndex)
    {
        _mount = app.GatewayMount ?? string.Empty;
        _marker = app.RefererProxy!;
        _app = appIndex;
        _rule = $"{app.Name} Referer {_marker}";
    }

    /// <summary>The Referer's proxied namespace when the request reaches this app (its mount at the gateway, or its sidecar).</summary>
    public NamespaceCandidate Read(CheckInput input, ReadOnlySpan<char> path, int destinationApp)
    {
        var reaches = destinationApp == _app
            || destinationApp < 0 && path.StartsWith(_mount, StringComparison.Ordinal) && (path.Length == _mount.Length || path[_mount.Length] == '/');
        if (!reaches || input.GetHeader(HeaderSlots.Referer) is not { } referer)
        {
            return NamespaceCandidate.None;
        }

        var at = referer.IndexOf(_marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return NamespaceCandidate.None;
        }

        var start = at + _marker.Length;
        var rest = referer.AsSpan(start);
        var end = rest.IndexOfAny('/', '?', '#');
        var raw = end < 0 ? rest : rest[..end];
        if (raw.IndexOf('%') < 0)
        {
            return FromHost(referer.AsMemory(start, raw.Length), raw);
        }

        // decodeURIComponent, as the proxy does; rare enough to copy.
        Span<char> buffer = stackalloc char[MaxHost];
        var n = raw.Length <= MaxHost ? QueryString.Decode(raw, buffer) : -1;
        if (n < 0)
        {
            return NamespaceCandidate.Invalid(ReadOnlyMemory<char>.Empty, _rule, NamespaceSource.Host);
        }

        var decoded = new string(buffer[..n]);
        return FromHost(decoded.AsMemory(), decoded);
    }

    /// <summary><c>[http://]&lt;svc&gt;.&lt;ns&gt;.svc[…][:port]</c> → ns; any other host is no namespace.</summary>
    private NamespaceCandidate FromHost(ReadOnlyMemory<char> memory, ReadOnlySpan<char> host)
    {
        var offset = host.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? Scheme.Length : 0;
        host = host[offset..];
        var first = host.IndexOf('.');
        var second = first < 0 ? -1 : host[(first + 1)..].IndexOf('.');
        if (first <= 0 || second <= 0 || !host[(first + second + 2)..].StartsWith("svc", StringComparison.Ordinal))
        {
            return NamespaceCandidate.Invalid(ReadOnlyMemory<char>.Empty, _rule, NamespaceSource.Host);
        }

        return NamespaceCandidate.Found(memory.Slice(offset + first + 1, second), _rule, NamespaceSource.Host);
    }
}
