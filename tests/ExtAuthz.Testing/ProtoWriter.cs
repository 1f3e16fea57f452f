using System.Text;

namespace ExtAuthz.Testing;

/// <summary>
/// Writes protobuf bytes field by field from documented field numbers, so wire tests do not depend on the
/// generated classes they are checking.
/// </summary>
public sealed class ProtoWriter
{
    private readonly MemoryStream _stream = new();

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Bytes(int field, byte[] value)
    {
        Tag(field, 2);
        Varint((ulong)value.Length);
        _stream.Write(value);
        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    public ProtoWriter Message(int field, Action<ProtoWriter> build)
    {
        var inner = new ProtoWriter();
        build(inner);
        return Message(field, inner);
    }

    public ProtoWriter UInt(int field, ulong value)
    {
        Tag(field, 0);
        Varint(value);
        return this;
    }

    /// <summary>A map&lt;string,string&gt; entry: a nested message with key = 1 and value = 2.</summary>
    public ProtoWriter MapEntry(int field, string key, string value) =>
        Message(field, e => e.String(1, key).String(2, value));

    /// <summary>Bytes as they are: tags and values of wire types the typed methods do not write (groups, fixed widths).</summary>
    public ProtoWriter Raw(byte[] bytes)
    {
        _stream.Write(bytes);
        return this;
    }

    public byte[] ToArray() => _stream.ToArray();

    private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _stream.WriteByte((byte)value);
    }
}
