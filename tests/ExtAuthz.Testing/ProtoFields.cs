namespace ExtAuthz.Testing;

/// <summary>Reads the top-level fields of protobuf bytes (number, wire type, payload) to check tags on the wire.</summary>
public static class ProtoFields
{
    public sealed record Field(int Number, int WireType, ulong Varint, byte[] Payload);

    public static IReadOnlyList<Field> Read(byte[] bytes)
    {
        var fields = new List<Field>();
        var i = 0;
        while (i < bytes.Length)
        {
            var tag = ReadVarint(bytes, ref i);
            var number = (int)(tag >> 3);
            var wire = (int)(tag & 7);
            switch (wire)
            {
                case 0:
                    fields.Add(new Field(number, wire, ReadVarint(bytes, ref i), []));
                    break;
                case 2:
                    var length = (int)ReadVarint(bytes, ref i);
                    fields.Add(new Field(number, wire, 0, bytes[i..(i + length)]));
                    i += length;
                    break;
                case 1:
                    fields.Add(new Field(number, wire, 0, bytes[i..(i + 8)]));
                    i += 8;
                    break;
                case 5:
                    fields.Add(new Field(number, wire, 0, bytes[i..(i + 4)]));
                    i += 4;
                    break;
                default:
                    throw new FormatException($"unexpected wire type {wire} for field {number}");
            }
        }

        return fields;
    }

    public static Field Single(byte[] bytes, int number) => Read(bytes).Single(f => f.Number == number);

    private static ulong ReadVarint(byte[] bytes, ref int i)
    {
        ulong value = 0;
        var shift = 0;
        while (true)
        {
            var b = bytes[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }

            shift += 7;
        }
    }
}
