namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// Walks protobuf wire format in a span: tags, varints and length-delimited fields, skipping what the caller does
/// not ask for. Anything it cannot walk (a truncated field, a group, a bad length) throws
/// <see cref="MalformedWireException"/>, and the caller falls back to the generated parser.
/// </summary>
internal ref struct ProtoSpanReader
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public ProtoSpanReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public static uint Tag(int field, int wireType) => (uint)((field << 3) | wireType);

    /// <summary>The next tag, or false at the end of the message.</summary>
    public bool TryReadTag(out uint tag)
    {
        if (_position >= _buffer.Length)
        {
            tag = 0;
            return false;
        }

        var value = ReadVarint();
        if (value >> 3 == 0 || value > uint.MaxValue)
        {
            throw new MalformedWireException("field number 0 or out of range");
        }

        tag = (uint)value;
        return true;
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_buffer.Length - _position))
        {
            throw new MalformedWireException("length past the end of the message");
        }

        var span = _buffer.Slice(_position, (int)length);
        _position += (int)length;
        return span;
    }

    /// <summary>Skips the value of a field we do not read. Groups (wire types 3 and 4) are left to the generated parser.</summary>
    public void Skip(uint tag)
    {
        switch ((int)(tag & 7))
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                Advance(8);
                break;
            case LengthDelimited:
                ReadLengthDelimited();
                break;
            case Fixed32:
                Advance(4);
                break;
            default:
                throw new MalformedWireException($"wire type {tag & 7}");
        }
    }

    private void Advance(int count)
    {
        if (_buffer.Length - _position < count)
        {
            throw new MalformedWireException("fixed-width field past the end of the message");
        }

        _position += count;
    }

    private ulong ReadVarint()
    {
        // Nearly every tag and length of a Check is one byte.
        if ((uint)_position < (uint)_buffer.Length && _buffer[_position] < 0x80)
        {
            return _buffer[_position++];
        }

        return ReadLongVarint();
    }

    private ulong ReadLongVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _buffer.Length)
            {
                throw new MalformedWireException("truncated varint");
            }

            var b = _buffer[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new MalformedWireException("varint longer than 10 bytes");
    }
}

/// <summary>Bytes the lean reader cannot walk; the generated parser then decides what they are.</summary>
internal sealed class MalformedWireException : Exception
{
    public MalformedWireException(string message) : base(message)
    {
    }
}
