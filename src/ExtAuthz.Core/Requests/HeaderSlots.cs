using System.Collections.Frozen;

namespace ExtAuthz.Core.Requests;

/// <summary>
/// The few request headers a decision reads, each given a slot number once at start-up. The request reader
/// keeps only these and skips every other header without materialising it. The pseudo-headers are not slots:
/// Envoy always fills the method, path and host fields, and the readers fall back to <c>:method</c>, <c>:path</c>
/// and <c>:authority</c> only when a field is empty. The tracing headers are kept only while a tracer listens.
/// </summary>
public sealed class HeaderSlots
{
    public const int Authorization = 0;
    public const int Cookie = 1;
    public const int Accept = 2;
    public const int SecFetchMode = 3;
    public const int SecFetchDest = 4;
    public const int XRequestedWith = 5;
    public const int Upgrade = 6;
    public const int ContentType = 7;
    public const int TraceParent = 8;
    public const int TraceState = 9;
    public const int B3 = 10;
    public const int XB3TraceId = 11;
    public const int XB3SpanId = 12;
    public const int XB3Sampled = 13;

    /// <summary>Read only for apps that proxy to a host named in it (the Pipelines UI's <c>_proxy</c>).</summary>
    public const int Referer = 14;

    private static readonly string[] s_fixed =
    [
        "authorization", "cookie", "accept", "sec-fetch-mode", "sec-fetch-dest", "x-requested-with", "upgrade",
        "content-type", "traceparent", "tracestate", "b3", "x-b3-traceid", "x-b3-spanid", "x-b3-sampled", "referer",
    ];

    private readonly FrozenDictionary<string, int> _byName;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly string[] _names;

    /// <param name="extra">Further headers to keep, such as an issuer's token header.</param>
    public HeaderSlots(IEnumerable<string>? extra = null)
    {
        var names = new List<string>(s_fixed);
        foreach (var name in extra ?? [])
        {
            var lower = name.ToLowerInvariant();
            if (!names.Contains(lower))
            {
                names.Add(lower);
            }
        }

        _names = [.. names];
        _byName = names.Select((n, i) => KeyValuePair.Create(n, i)).ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _bySpan = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static HeaderSlots Default { get; } = new();

    public int Count => _names.Length;

    public string NameOf(int slot) => _names[slot];

    public int SlotOf(string name) => _byName.TryGetValue(name, out var slot) ? slot : -1;

    public bool TryGetSlot(string name, out int slot) => _byName.TryGetValue(name, out slot);

    public bool TryGetSlot(ReadOnlySpan<char> name, out int slot) => _bySpan.TryGetValue(name, out slot);

    /// <summary>A trace-context header: read only while a tracer listens.</summary>
    public static bool IsTracing(int slot) => slot is >= TraceParent and <= XB3Sampled;

    /// <summary>A header that carries a credential (a token, a cookie): long, and the same on many Checks.</summary>
    public static bool IsCredential(int slot) => slot is Authorization or Cookie || slot >= s_fixed.Length;
}
