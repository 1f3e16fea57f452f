using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExtAuthz.Core.Identity;

/// <summary>The one JSON form of a revocation: in the shared store, on the pub/sub channel and on the ops endpoint.</summary>
public static class RevocationJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Read by people too (the CLI, curl): keep '+' in timestamps readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(RevocationEntry entry) => JsonSerializer.Serialize(entry, Options);

    /// <summary>The entry, or null when the text is not one (a stray message on the channel is ignored, not fatal).</summary>
    public static RevocationEntry? TryDeserialize(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            var entry = JsonSerializer.Deserialize<RevocationEntry>(json, Options);
            return entry is { Subject.Length: > 0 } ? entry : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
