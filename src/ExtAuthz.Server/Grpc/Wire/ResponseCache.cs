using System.Collections.Concurrent;
using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// Serialized answers reused across requests (DESIGN §5): per principal, keyed by namespace, role and reason (in
/// <c>Principal.ResponseCache</c>, so they expire with the cached token); and one shared set for answers without
/// a principal (public paths, missing or bad tokens). Each set is bounded, so hostile variety (many namespaces,
/// many failure details) only costs a fresh serialization, never memory. Login redirects carry the request's
/// own path and are never cached.
/// </summary>
internal sealed class ResponseCache
{
    private const int MaxPerPrincipal = 64;
    private const int MaxShared = 1024;

    private readonly CheckResponseWriter _writer;
    private readonly ConcurrentDictionary<ResponseKey, SerializedResponse> _shared = new();

    public ResponseCache(CheckResponseWriter writer) => _writer = writer;

    public SerializedResponse Get(in Decision decision)
    {
        if (decision.RedirectLocation is not null)
        {
            return new SerializedResponse(_writer.Write(decision));
        }

        var set = decision.Principal is { } principal ? ForPrincipal(principal) : _shared;
        var limit = decision.Principal is null ? MaxShared : MaxPerPrincipal;
        var key = ResponseKey.Of(decision);
        if (set.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var response = new SerializedResponse(_writer.Write(decision));
        if (set.Count < limit)
        {
            set.TryAdd(key, response);
        }

        return response;
    }

    private static ConcurrentDictionary<ResponseKey, SerializedResponse> ForPrincipal(Core.Identity.Principal principal)
    {
        if (principal.ResponseCache is ConcurrentDictionary<ResponseKey, SerializedResponse> existing)
        {
            return existing;
        }

        var created = new ConcurrentDictionary<ResponseKey, SerializedResponse>(concurrencyLevel: 1, capacity: 4);
        lock (principal)
        {
            // Principal is shared between requests; the first writer wins and every other request uses its set.
            principal.ResponseCache ??= created;
            return (ConcurrentDictionary<ResponseKey, SerializedResponse>)principal.ResponseCache;
        }
    }
}
