using System.Collections.Concurrent;
using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// Serialized answers reused across requests (DESIGN §5), in one cache bounded by entries and by estimated bytes,
/// keyed by everything that reaches the bytes: the caller's ids and groups (<see cref="AnswerIdentity"/>, equal for
/// every token of one user), namespace, role, reason and detail. Hostile variety (many tokens, many namespaces, many
/// users) therefore costs a fresh serialization, never memory: when the cache is full, one sweep drops arbitrary
/// answers down to three quarters of the bound, and while it runs new answers are simply not kept. A warm hit is one
/// lookup and allocates nothing. Login redirects carry the request's own path and are never cached.
/// </summary>
internal sealed class ResponseCache
{
    public const int DefaultMaxEntries = 8192;
    public const long DefaultMaxBytes = 32L * 1024 * 1024;

    private readonly CheckResponseWriter _writer;
    private readonly ConcurrentDictionary<ResponseKey, SerializedResponse> _answers = new();
    private readonly int _maxEntries;
    private readonly long _maxBytes;
    private int _count;
    private long _bytes;
    private int _sweeping;

    public ResponseCache(CheckResponseWriter writer)
        : this(writer, DefaultMaxEntries, DefaultMaxBytes)
    {
    }

    internal ResponseCache(CheckResponseWriter writer, int maxEntries, long maxBytes)
    {
        _writer = writer;
        _maxEntries = maxEntries;
        _maxBytes = maxBytes;
    }

    public int Count => Volatile.Read(ref _count);

    public long EstimatedBytes => Interlocked.Read(ref _bytes);

    public SerializedResponse Get(in Decision decision)
    {
        if (decision.RedirectLocation is not null)
        {
            return new SerializedResponse(_writer.Write(decision));
        }

        var key = ResponseKey.Of(decision, decision.Principal is { } principal ? AnswerIdentity.Of(principal) : null);
        if (_answers.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var response = new SerializedResponse(_writer.Write(decision));
        Keep(key, response);
        return response;
    }

    private void Keep(ResponseKey key, SerializedResponse response)
    {
        if (!HasRoomFor(response) && (!Sweep() || !HasRoomFor(response)))
        {
            return;
        }

        if (_answers.TryAdd(key, response))
        {
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _bytes, response.EstimatedBytes);
        }
    }

    private bool HasRoomFor(SerializedResponse response) =>
        Volatile.Read(ref _count) < _maxEntries && Interlocked.Read(ref _bytes) + response.EstimatedBytes <= _maxBytes;

    /// <summary>One sweep at a time; false when another thread is already sweeping.</summary>
    private bool Sweep()
    {
        if (Interlocked.CompareExchange(ref _sweeping, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            var targetCount = _maxEntries / 4 * 3;
            var targetBytes = _maxBytes / 4 * 3;
            foreach (var (key, answer) in _answers)
            {
                if (Count <= targetCount && EstimatedBytes <= targetBytes)
                {
                    break;
                }

                if (_answers.TryRemove(KeyValuePair.Create(key, answer)))
                {
                    Interlocked.Decrement(ref _count);
                    Interlocked.Add(ref _bytes, -answer.EstimatedBytes);
                }
            }

            return true;
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
