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
    private readonly (byte[] Name, int Slot)[][] _byLength;

    public SlotNames(HeaderSlots slots)
    {
        _slots = slots;
        var names = Enumerable.Range(0, slots.Count).Select(i => (Name: Encoding.UTF8.GetBytes(slots.NameOf(i)), Slot: i)).ToList();
        var longest = names.Max(n => n.Name.Length);
        _byLength = new (byte[], int)[longest + 1][];
        for (var length = 0; length <= longest; length++)
        {
            _byLength[length] = [.. names.Where(n => n.Name.Length == length)];
        }
    }

    public HeaderSlots Slots => _slots;

    /// <summary>Recent <c>host</c> values: the few hosts of a mesh come back on nearly every Check.</summary>
    public RecentStrings Hosts { get; } = new();

    /// <summary>Recent peer principals: the gateway's and the workloads' identities.</summary>
    public RecentStrings Principals { get; } = new();

    /// <summary>
    /// Recent credential values (tokens, cookies): the same caller sends the same kilobyte-long token on every
    /// Check, so a warm Check decodes none. 256 slots of at most 8 KiB: at most 4 MiB of strings.
    /// </summary>
    public RecentStrings Credentials { get; } = new(size: 256, maxBytes: 8192);

    /// <summary>A kept header's value: from <see cref="Credentials"/> for a credential slot, else decoded.</summary>
    public string Value(int slot, ReadOnlySpan<byte> value) =>
        HeaderSlots.IsCredential(slot) ? Credentials.Get(value) : WireStrings.Utf8(value);

    public bool TryGetSlot(ReadOnlySpan<byte> name, out int slot)
    {
        if (!Ascii.IsValid(name))
        {
            return _slots.TryGetSlot(Encoding.UTF8.GetString(name), out slot);
        }

        if (name.Length < _byLength.Length)
        {
            foreach (var (candidate, index) in _byLength[name.Length])
            {
                if (Ascii.EqualsIgnoreCase(name, candidate))
                {
                    slot = index;
                    return true;
                }
            }
        }

        slot = -1;
        return false;
    }
}
