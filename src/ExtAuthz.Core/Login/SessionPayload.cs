using System.Text.Json;

namespace ExtAuthz.Core.Login;

/// <summary>What a session holds, sealed inside <see cref="StoredSession.Sealed"/>: identity, groups, times and tokens.</summary>
internal sealed record SessionPayload
{
    public required string Issuer { get; init; }

    public required string UserId { get; init; }

    public required IReadOnlyList<string> Groups { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required DateTimeOffset Expires { get; init; }

    public required DateTimeOffset LastSeen { get; init; }

    public required string IdToken { get; init; }

    public required DateTimeOffset IdTokenExpires { get; init; }

    public string? RefreshToken { get; init; }

    public byte[] ToUtf8()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("iss", Issuer);
            json.WriteString("user", UserId);
            json.WriteStartArray("groups");
            foreach (var group in Groups)
            {
                json.WriteStringValue(group);
            }

            json.WriteEndArray();
            json.WriteNumber("created", Created.ToUnixTimeSeconds());
            json.WriteNumber("exp", Expires.ToUnixTimeSeconds());
            json.WriteNumber("seen", LastSeen.ToUnixTimeSeconds());
            json.WriteString("idt", IdToken);
            json.WriteNumber("idt_exp", IdTokenExpires.ToUnixTimeSeconds());
            if (RefreshToken is not null)
            {
                json.WriteString("rt", RefreshToken);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The payload, or null when the bytes are not one (they were sealed by us, so only a bug or an old format).</summary>
    public static SessionPayload? FromUtf8(byte[] utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            var root = document.RootElement;
            return new SessionPayload
            {
                Issuer = root.GetProperty("iss").GetString()!,
                UserId = root.GetProperty("user").GetString()!,
                Groups = [.. root.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!)],
                Created = DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("created").GetInt64()),
                Expires = DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("exp").GetInt64()),
                LastSeen = DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("seen").GetInt64()),
                IdToken = root.GetProperty("idt").GetString()!,
                IdTokenExpires = DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("idt_exp").GetInt64()),
                RefreshToken = root.TryGetProperty("rt", out var rt) ? rt.GetString() : null,
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            return null;
        }
    }
}
