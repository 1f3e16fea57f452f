using ExtAuthz.Core.Requests;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// Where <c>:method</c>, <c>:path</c> and <c>:authority</c> stood in one <c>http</c> message: the last <c>headers</c>
/// map entry of each (protobuf keeps the last), and the first <c>header_map</c> entry. They are decoded only when the
/// matching field was empty — never, for what Envoy sends — exactly as <see cref="CheckRequestReader"/> falls back.
/// </summary>
internal struct PseudoHeaders
{
    private const int Method = 0;
    private const int Path = 1;
    private const int Authority = 2;

    private Location _mapMethod;
    private Location _mapPath;
    private Location _mapAuthority;
    private Location _rawMethod;
    private Location _rawPath;
    private Location _rawAuthority;

    public void FromMap(ReadOnlySpan<byte> key, ReadOnlySpan<byte> http, ReadOnlySpan<byte> value)
    {
        switch (Which(key))
        {
            case Method: _mapMethod = Location.Of(http, value, raw: false); break;
            case Path: _mapPath = Location.Of(http, value, raw: false); break;
            case Authority: _mapAuthority = Location.Of(http, value, raw: false); break;
        }
    }

    public void FromHeaderMap(ReadOnlySpan<byte> key, ReadOnlySpan<byte> http, ReadOnlySpan<byte> value, bool raw)
    {
        switch (Which(key))
        {
            case Method when !_rawMethod.IsSet: _rawMethod = Location.Of(http, value, raw); break;
            case Path when !_rawPath.IsSet: _rawPath = Location.Of(http, value, raw); break;
            case Authority when !_rawAuthority.IsSet: _rawAuthority = Location.Of(http, value, raw); break;
        }
    }

    public readonly void ApplyTo(CheckInput input, ReadOnlySpan<byte> http, SlotNames names)
    {
        if (input.Method.Length == 0 && Pick(_mapMethod, _rawMethod) is { IsSet: true } method)
        {
            input.Method = method.Raw ? WireStrings.Lenient(method.In(http)) : WireStrings.Method(method.In(http));
        }

        if (input.Path.Length == 0 && Pick(_mapPath, _rawPath) is { IsSet: true } path)
        {
            input.Path = path.Raw ? WireStrings.Lenient(path.In(http)) : WireStrings.Utf8(path.In(http));
        }

        if (input.Host.Length == 0 && Pick(_mapAuthority, _rawAuthority) is { IsSet: true } authority)
        {
            input.Host = authority.Raw ? WireStrings.Lenient(authority.In(http)) : names.Hosts.Get(authority.In(http));
        }
    }

    private static Location Pick(Location map, Location headerMap) => map.IsSet ? map : headerMap;

    private static int Which(ReadOnlySpan<byte> key) =>
        key.SequenceEqual(":method"u8) ? Method : key.SequenceEqual(":path"u8) ? Path : key.SequenceEqual(":authority"u8) ? Authority : -1;

    /// <summary>A value as an offset into the http message (spans cannot be kept in a field).</summary>
    private readonly record struct Location(int Offset, int Length, bool Raw, bool IsSet)
    {
        public static Location Of(ReadOnlySpan<byte> http, ReadOnlySpan<byte> value, bool raw) =>
            new(value.IsEmpty || !http.Overlaps(value, out var offset) ? 0 : offset, value.Length, raw, IsSet: true);

        public ReadOnlySpan<byte> In(ReadOnlySpan<byte> http) => http.Slice(Offset, Length);
    }
}
