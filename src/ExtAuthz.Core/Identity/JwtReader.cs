using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace ExtAuthz.Core.Identity;

/// <summary>
/// Reads a compact JWS before any signature is checked, and refuses what the token library lets through:
/// <c>crit</c> headers, duplicate names (the library keeps the last, another parser the first), claims of the wrong
/// type, <c>email_verified: false</c>. Every refusal is a detail string that tests assert and the log shows.
/// </summary>
internal static class JwtReader
{
    public const int MaxSegmentBytes = 1024 * 1024;

    /// <summary>Parses <paramref name="token"/>; on failure <paramref name="detail"/> says why and the result is null.</summary>
    public static JwtContents? Read(ReadOnlySpan<char> token, string userClaim, string groupsClaim, out string? detail)
    {
        var firstDot = token.IndexOf('.');
        var lastDot = token.LastIndexOf('.');
        if (firstDot <= 0 || lastDot == firstDot || token[(firstDot + 1)..lastDot].Contains('.'))
        {
            detail = "malformed: not three segments";
            return null;
        }

        var header = ReadHeader(token[..firstDot], out detail);
        if (header is null)
        {
            return null;
        }

        var contents = ReadPayload(token[(firstDot + 1)..lastDot], header.Value, userClaim, groupsClaim, out detail);
        return contents;
    }

    private static (string Alg, string? Kid)? ReadHeader(ReadOnlySpan<char> segment, out string? detail)
    {
        var rented = Decode(segment, out var json, out detail);
        if (rented is null)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                detail = "malformed: header not a JSON object";
                return null;
            }

            string? alg = null;
            string? kid = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!seen.Add(name))
                {
                    detail = $"duplicate header '{DetailText.Safe(name)}'";
                    return null;
                }

                reader.Read();
                switch (name)
                {
                    case "crit":
                        detail = "crit header";
                        return null;
                    case "alg" when reader.TokenType == JsonTokenType.String:
                        alg = reader.GetString();
                        break;
                    case "alg":
                        detail = "alg not a string";
                        return null;
                    case "kid" when reader.TokenType == JsonTokenType.String:
                        kid = reader.GetString();
                        break;
                    case "kid":
                        detail = "kid not a string";
                        return null;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (!AtEnd(ref reader))
            {
                detail = "malformed: header not a JSON object";
                return null;
            }

            if (alg is null)
            {
                detail = "alg missing";
                return null;
            }

            detail = null;
            return (alg, kid);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            detail = "malformed: header not a JSON object";
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static JwtContents? ReadPayload(ReadOnlySpan<char> segment, (string Alg, string? Kid) header,
        string userClaim, string groupsClaim, out string? detail)
    {
        var rented = Decode(segment, out var json, out detail);
        if (rented is null)
        {
            return null;
        }

        try
        {
            var claims = new PayloadClaims(userClaim, groupsClaim);
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                detail = "malformed: payload not a JSON object";
                return null;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!seen.Add(name))
                {
                    detail = $"duplicate claim '{DetailText.Safe(name)}'";
                    return null;
                }

                reader.Read();
                detail = claims.Read(name, ref reader);
                if (detail is not null)
                {
                    return null;
                }
            }

            if (!AtEnd(ref reader))
            {
                detail = "malformed: payload not a JSON object";
                return null;
            }

            detail = null;
            return claims.ToContents(header.Alg, header.Kid);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            detail = "malformed: payload not a JSON object";
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The object closed and nothing follows it.</summary>
    private static bool AtEnd(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0 && !reader.Read();

    private static byte[]? Decode(ReadOnlySpan<char> segment, out ReadOnlySpan<byte> bytes, out string? detail)
    {
        bytes = default;
        var max = Base64Url.GetMaxDecodedLength(segment.Length);
        if (segment.IsEmpty || max > MaxSegmentBytes || segment.Contains('='))
        {
            detail = "malformed: base64";
            return null;
        }

        var rented = ArrayPool<byte>.Shared.Rent(max);
        var status = Base64Url.DecodeFromChars(segment, rented, out var consumed, out var written);
        if (status != OperationStatus.Done || consumed != segment.Length)
        {
            ArrayPool<byte>.Shared.Return(rented);
            detail = "malformed: base64";
            return null;
        }

        bytes = rented.AsSpan(0, written);
        detail = null;
        return rented;
    }
}
