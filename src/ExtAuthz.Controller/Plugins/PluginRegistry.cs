using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;

namespace ExtAuthz.Controller.Plugins;

/// <summary>The plugin kinds this controller knows; an unknown kind is reported, never silently skipped.</summary>
internal sealed class PluginRegistry
{
    private readonly Dictionary<string, IProfilePlugin> _plugins;

    public PluginRegistry(IEnumerable<IProfilePlugin> plugins) => _plugins = plugins.ToDictionary(p => p.Kind, StringComparer.Ordinal);

    /// <summary>Parses every entry in order; problems (unknown kind, bad spec) are listed with the entry's position.</summary>
    public (List<IPluginInstance> Plugins, List<string> Unknown, List<string> Invalid) Parse(IReadOnlyList<JsonObject> entries)
    {
        var parsed = new List<IPluginInstance>();
        var unknown = new List<string>();
        var invalid = new List<string>();
        for (var i = 0; i < entries.Count; i++)
        {
            var kind = Meta.Str(entries[i]["kind"]) ?? "";
            if (!_plugins.TryGetValue(kind, out var plugin))
            {
                unknown.Add($"spec.plugins[{i}]: unknown kind '{kind}'");
                continue;
            }

            if (plugin.Parse(entries[i]["spec"], out var error) is { } instance)
            {
                parsed.Add(instance);
            }
            else
            {
                invalid.Add($"spec.plugins[{i}] ({kind}): {error}");
            }
        }

        return (parsed, unknown, invalid);
    }
}
