using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace ExtAuthz.Core.Identity;

/// <summary>
/// The shape of a compact JWS, checked before the token library reads it, for what the library lets through or
/// only reports as a bare failure: base64 padding, bytes after the JSON object, duplicate member names (the library
/// keeps the last, another parser the first), a <c>crit</c> header, and header or time members of the wrong type.
/// Only names and value types are looked at; values are read from the library's token.
/// </summary>
internal static class JwsStructure
{
    /// <summary>Null when <paramref name="token"/> has the shape we accept, else the failure detail.</summary>
    public static string? Check(ReadOnlySpan<char> token)
    {
        var firstDot = token.IndexOf('.');
        var lastDot = token.LastIndexOf('.');
        if (lastDot == firstDot || token[(firstDot + 1)..lastDot].Contains('.'))
        {
            return "malformed: not three segments";
        }

        return CheckSegment(token[..firstDot], header: true) ?? CheckSegment(token[(firstDot + 1)..lastDot], header: false);
    }

    private static string? CheckSegment(ReadOnlySpan<char> segment, bool header)
    {
        // The size was bounded before (Identity:MaxTokenBytes); an empty segment reads as an empty JSON text.
        if (segment.Contains('='))
        {
            return "malformed: base64";
        }

        var rented = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(segment.Length));
        try
        {
            return Base64Url.DecodeFromChars(segment, rented, out _, out var written) != OperationStatus.Done
                ? "malformed: base64"
                : CheckObject(rented.AsSpan(0, written), header);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static string? CheckObject(ReadOnlySpan<byte> json, bool header)
    {
        var notAnObject = header ? "malformed: header not a JSON object" : "malformed: payload not a JSON object";
        try
        {
            // Read throws on an empty or incomplete text and on a second value after the first.
            var reader = new Utf8JsonReader(json);
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return notAnObject;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!seen.Add(name))
                {
                    return $"duplicate {(header ? "header" : "claim")} '{DetailText.Safe(name)}'";
                }

                reader.Read();
                if ((header ? CheckHeaderMember(name, reader.TokenType) : CheckTimeClaim(name, reader.TokenType)) is { } wrong)
                {
                    return wrong;
                }

                reader.Skip();
            }

            // The loop ends on the object's end; only whitespace may follow it.
            return reader.Read() ? notAnObject : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a name that is not valid UTF-8.
            return notAnObject;
        }
    }

    private static string? CheckHeaderMember(string name, JsonTokenType type) => name switch
    {
        "crit" => "crit header",
        "alg" or "kid" when type != JsonTokenType.String => $"{name} not a string",
        _ => null,
    };

    private static string? CheckTimeClaim(string name, JsonTokenType type) =>
        name is "exp" or "nbf" or "iat" && type != JsonTokenType.Number ? $"{name} not a number" : null;
}
