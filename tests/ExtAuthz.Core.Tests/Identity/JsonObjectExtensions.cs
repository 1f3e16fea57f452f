using System.Text.Json.Nodes;

namespace ExtAuthz.Core.Tests.Identity;

internal static class JsonObjectExtensions
{
    /// <summary>Changes the object in place and returns it, for one-line claim tweaks.</summary>
    public static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }
}
