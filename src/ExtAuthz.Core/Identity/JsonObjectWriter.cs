using System.Text.Json;

namespace ExtAuthz.Core.Identity;

/// <summary>One JSON object written by a callback, as UTF-8 bytes: the small documents the development issuer signs or serves.</summary>
internal static class JsonObjectWriter
{
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
