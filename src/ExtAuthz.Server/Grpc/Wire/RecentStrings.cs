namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// A tiny lock-free cache of recently seen strings with their UTF-8 bytes, for values that repeat across requests.
/// Slots are replaced whole (one reference write), so a reader sees an old or a new entry, never half of one.
/// </summary>
internal sealed class RecentStrings
{
    private const int Size = 16;
    private const int MaxBytes = 256;

    private readonly Entry?[] _entries = new Entry?[Size];

    public string Get(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        if (bytes.Length > MaxBytes)
        {
            return WireStrings.Utf8(bytes);
        }

        var index = (int)((uint)(bytes.Length * 31 + bytes[^1] * 7 + bytes[bytes.Length / 2]) % Size);
        var entry = Volatile.Read(ref _entries[index]);
        if (entry is not null && bytes.SequenceEqual(entry.Bytes))
        {
            return entry.Value;
        }

        var value = WireStrings.Utf8(bytes);
        Volatile.Write(ref _entries[index], new Entry(bytes.ToArray(), value));
        return value;
    }

    private sealed record Entry(byte[] Bytes, string Value);
}
