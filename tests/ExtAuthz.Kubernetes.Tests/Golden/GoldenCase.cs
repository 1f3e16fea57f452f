using System.Text.Json;

namespace ExtAuthz.Kubernetes.Tests.Golden;

/// <summary>One row of the golden table: a request, the caller's token (or none) and the expected answer.</summary>
internal sealed class GoldenCase
{
    public GoldenCase(string file, JsonElement item)
    {
        File = file;
        Name = item.GetProperty("name").GetString()!;
        Request = item.GetProperty("request");
        Token = item.TryGetProperty("token", out var token) ? token : null;
        Expect = item.GetProperty("expect");
    }

    public string File { get; }

    public string Name { get; }

    public string Id => $"{File}: {Name}";

    public JsonElement Request { get; }

    public JsonElement? Token { get; }

    public JsonElement Expect { get; }

    public override string ToString() => Id;
}
