using System.Buffers.Binary;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// A small lock-free cache of recently seen header values, for values that repeat across requests (hosts,
/// principals, a caller's token or cookie). Direct-mapped: a value's slot comes from its length and a few of its
/// bytes; a hit is confirmed by comparing every byte with the bytes the cached string was decoded (and checked as
/// UTF-8) from, so a hit is exact and needs neither a decode nor a check; a miss replaces the slot with one reference
/// write. Memory is bounded by <c>size × maxBytes</c> bytes and as many characters; hostile variety only costs the
/// decode it would have cost anyway, plus a copy of its bytes.
/// </summary>
internal sealed class RecentStrings
{
    private readonly Entry?[] _entries;
    private readonly int _maxBytes;

    public RecentStrings(int size = 16, int maxBytes = 256)
    {
        _entries = new Entry?[size];
        _maxBytes = maxBytes;
    }

    public string Get(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        if (bytes.Length > _maxBytes)
        {
            return WireStrings.Utf8(bytes);
        }

        var index = (int)(Hash(bytes) % (uint)_entries.Length);
        var entry = Volatile.Read(ref _entries[index]);
        if (entry is not null && bytes.SequenceEqual(entry.Bytes))
        {
            return entry.Value;
        }

        var value = WireStrings.Utf8(bytes);
        Volatile.Write(ref _entries[index], new Entry(bytes.ToArray(), value));
        return value;
    }

    /// <summary>Length, and the last and middle eight bytes: a token's signature makes its tail unique.</summary>
    private static uint Hash(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 16)
        {
            return (uint)((bytes.Length * 31) + (bytes[^1] * 7) + bytes[bytes.Length / 2]);
        }

        var tail = BinaryPrimitives.ReadUInt64LittleEndian(bytes[^8..]);
        var middle = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(bytes.Length / 2, 8));
        var mixed = (tail ^ (middle * 0x9E3779B97F4A7C15UL)) + (ulong)bytes.Length;
        return (uint)(mixed ^ (mixed >> 29));
    }

    /// <summary>A value with the exact bytes it was decoded from: a hit is one byte comparison, never a decode.</summary>
    private sealed record Entry(byte[] Bytes, string Value);
}
