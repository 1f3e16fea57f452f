using System.Buffers.Binary;
using System.Text;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// The header slot of a name given as UTF-8 bytes, without decoding it: candidates are bucketed by length and
/// compared ASCII-case-insensitively, which costs a few nanoseconds for the ~20 headers of a Check instead of a
/// decode and a hashed case-insensitive lookup each. A name with a non-ASCII byte (never a valid HTTP header
/// name) goes through <see cref="HeaderSlots"/> itself, so both readers always agree. One instance per host is the
/// lean reader's whole state: it also keeps the recently seen hosts and principals (<see cref="RecentStrings"/>).
/// </summary>
internal sealed class SlotNames
{
    private readonly HeaderSlots _slots;
    private readonly (byte[] Name, ulong Prefix, int Slot)[][] _byLength;

    public SlotNames(HeaderSlots slots)
    {
        _slots = slots;
        var names = Enumerable.Range(0, slots.Count).Select(i => (Name: Encoding.UTF8.GetBytes(slots.NameOf(i)), Slot: i)).ToList();
        var longest = names.Max(n => n.Name.Length);
        _byLength = new (byte[], ulong, int)[longest + 1][];
        for (var length = 0; length <= longest; length++)
        {
            _byLength[length] = [.. names.Where(n => n.Name.Length == length).Select(n => (n.Name, Prefix(n.Name), n.Slot))];
        }
    }

    public HeaderSlots Slots => _slots;

    /// <summary>Recent <c>host</c> values: the few hosts of a mesh come back on nearly every Check.</summary>
    public RecentStrings Hosts { get; } = new();

    /// <summary>Recent peer principals: the gateway's and the workloads' identities.</summary>
    public RecentStrings Principals { get; } = new();

    /// <summary>
    /// Recent credential values (tokens, cookies): the same caller sends the same kilobyte-long token on every
    /// Check, so a warm Check decodes none. 256 slots of at most 8 KiB: at most 2 MiB of bytes and 4 MiB of strings.
    /// </summary>
    public RecentStrings Credentials { get; } = new(size: 256, maxBytes: 8192);

    /// <summary>
    /// Recent values of the other kept headers (<c>accept</c>, <c>sec-fetch-*</c>, <c>referer</c>, …): a browser
    /// sends the same few on every call. 64 slots of at most 256 bytes.
    /// </summary>
    public RecentStrings Values { get; } = new(size: 64, maxBytes: 256);

    /// <summary>A kept header's value, from <see cref="Credentials"/> or <see cref="Values"/>: decoded (and checked as UTF-8) only when new.</summary>
    public string Value(int slot, ReadOnlySpan<byte> value) =>
        HeaderSlots.IsCredential(slot) ? Credentials.Get(value) : Values.Get(value);

    /// <param name="ascii">The caller has already seen that <paramref name="name"/> is ASCII.</param>
    public bool TryGetSlot(ReadOnlySpan<byte> name, out int slot, bool ascii = false)
    {
        if (name.Length < _byLength.Length)
        {
            // ASCII case-insensitive equality implies equal first eight bytes once 0x20 is set in every byte: a
            // cheap filter before the comparison. A name with a non-ASCII byte never matches here.
            var prefix = Prefix(name);
            foreach (var (candidate, candidatePrefix, index) in _byLength[name.Length])
            {
                // Envoy sends names in lower case, as the candidates are: an exact match first, case second.
                if (candidatePrefix == prefix && (name.SequenceEqual(candidate) || Ascii.EqualsIgnoreCase(name, candidate)))
                {
                    slot = index;
                    return true;
                }
            }
        }

        if (!ascii && !Ascii.IsValid(name))
        {
            return _slots.TryGetSlot(Encoding.UTF8.GetString(name), out slot);
        }

        slot = -1;
        return false;
    }

    /// <summary>The first eight bytes (fewer for a shorter name), little-endian, with 0x20 set in each.</summary>
    private static ulong Prefix(ReadOnlySpan<byte> name)
    {
        if (name.Length >= sizeof(ulong))
        {
            return BinaryPrimitives.ReadUInt64LittleEndian(name) | 0x2020202020202020UL;
        }

        ulong prefix = 0;
        for (var i = 0; i < name.Length; i++)
        {
            prefix |= (ulong)(name[i] | 0x20) << (8 * i);
        }

        return prefix;
    }
}
