using System.Text.Json.Nodes;

namespace ExtAuthz.Kubernetes.Tests.Fakes;

/// <summary>
/// Server-side apply's field ownership, as far as the fake needs it: every leaf field (a scalar, a list, an empty map)
/// belongs to the managers that last set it, kept in <c>metadata.managedFields</c> in the API server's FieldsV1 form.
/// An apply owns exactly the fields its body sets: a field another manager owns with a different value is a conflict
/// (409) unless forced, when ownership moves to the applier; a field the applier owned and no longer sends is removed
/// unless someone else owns it too. An update (PUT, merge patch) makes its manager the owner of every field it
/// changed. Lists are atomic and status is not tracked (the fake keeps no per-subresource sets).
/// </summary>
internal static class FieldOwnership
{
    private static readonly HashSet<string> s_untracked = new(StringComparer.Ordinal)
    {
        "/apiVersion", "/kind", "/status", "/metadata/name", "/metadata/namespace", "/metadata/resourceVersion", "/metadata/uid",
        "/metadata/creationTimestamp", "/metadata/generation", "/metadata/managedFields", "/metadata/deletionTimestamp",
    };

    /// <summary>
    /// Applies <paramref name="body"/> as <paramref name="manager"/> onto a copy of <paramref name="existing"/>; the
    /// conflicts (as the API server words them) when there are some and the apply is not forced.
    /// </summary>
    public static (JsonObject? Next, string? Conflict) Apply(JsonObject existing, JsonObject body, string manager, bool force)
    {
        var owners = Read(existing);
        var fields = Leaves(body);
        var conflicts = (from field in fields
                         from owner in owners
                         where owner.Key != manager && owner.Value.Contains(field) && !JsonNode.DeepEquals(At(existing, field), At(body, field))
                         select (Manager: owner.Key, Field: field)).ToList();
        if (conflicts.Count > 0 && !force)
        {
            return (null, $"Apply failed with {conflicts.Count} conflict{(conflicts.Count == 1 ? "" : "s")}: "
                + string.Join("; ", conflicts.Select(c => $"conflict with \"{c.Manager}\": {c.Field.Replace('/', '.')}")));
        }

        foreach (var (other, field) in conflicts)
        {
            owners[other].Remove(field);
        }

        var next = existing.DeepClone().AsObject();
        if (owners.TryGetValue(manager, out var before))
        {
            foreach (var released in before.Except(fields).Where(f => !owners.Any(o => o.Key != manager && o.Value.Contains(f))))
            {
                Remove(next, released);
            }
        }

        MergeInto(next, body);
        owners[manager] = fields;
        Write(next, owners, manager, "Apply");
        return (next, null);
    }

    /// <summary>Records an update from <paramref name="existing"/> to <paramref name="next"/> (in place) as made by <paramref name="manager"/>.</summary>
    public static void Update(JsonObject? existing, JsonObject next, string manager)
    {
        var owners = existing is null ? [] : Read(existing);
        var before = existing is null ? [] : Leaves(existing);
        var after = Leaves(next);
        var gone = before.Except(after).ToList();
        var changed = after.Where(f => !before.Contains(f) || !JsonNode.DeepEquals(At(existing!, f), At(next, f))).ToList();
        foreach (var fields in owners.Values)
        {
            fields.ExceptWith(gone);
            fields.ExceptWith(changed);
        }

        if (changed.Count > 0)
        {
            owners.TryAdd(manager, new HashSet<string>(StringComparer.Ordinal));
            owners[manager].UnionWith(changed);
        }

        Write(next, owners, manager, "Update");
    }

    /// <summary>The fields each manager owns, from <c>metadata.managedFields</c>.</summary>
    public static Dictionary<string, HashSet<string>> Read(JsonObject obj)
    {
        var owners = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var entry in (obj["metadata"]?["managedFields"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var fields = new HashSet<string>(StringComparer.Ordinal);
            Decode(entry["fieldsV1"] as JsonObject ?? [], "", fields);
            owners[entry["manager"]?.GetValue<string>() ?? ""] = fields;
        }

        return owners;
    }

    /// <summary>Every tracked leaf field of an object, as a JSON pointer.</summary>
    public static HashSet<string> Leaves(JsonObject obj)
    {
        var leaves = new HashSet<string>(StringComparer.Ordinal);
        Collect(obj, "", leaves);
        return leaves;
    }

    private static void Collect(JsonNode? node, string path, HashSet<string> leaves)
    {
        if (s_untracked.Contains(path))
        {
            return;
        }

        if (node is JsonObject map && map.Count > 0)
        {
            foreach (var (key, child) in map)
            {
                Collect(child, $"{path}/{Escape(key)}", leaves);
            }
        }
        else if (path.Length > 0)
        {
            leaves.Add(path);
        }
    }

    private static void Write(JsonObject obj, Dictionary<string, HashSet<string>> owners, string manager, string operation)
    {
        var previous = (obj["metadata"]?["managedFields"] as JsonArray ?? []).OfType<JsonObject>()
            .ToDictionary(e => e["manager"]?.GetValue<string>() ?? "", e => e["operation"]?.GetValue<string>() ?? "Update", StringComparer.Ordinal);
        var entries = new JsonArray();
        foreach (var (name, fields) in owners.Where(o => o.Value.Count > 0).OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var fieldsV1 = new JsonObject();
            foreach (var field in fields.Order(StringComparer.Ordinal))
            {
                Encode(fieldsV1, field);
            }

            entries.Add(new JsonObject
            {
                ["manager"] = name,
                ["operation"] = name == manager ? operation : previous.GetValueOrDefault(name, "Update"),
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = fieldsV1,
            });
        }

        var metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        if (entries.Count == 0)
        {
            metadata.Remove("managedFields");
        }
        else
        {
            metadata["managedFields"] = entries;
        }
    }

    private static void Encode(JsonObject fieldsV1, string field)
    {
        var node = fieldsV1;
        foreach (var segment in Segments(field))
        {
            var key = "f:" + segment;
            if (node[key] is not JsonObject child)
            {
                child = [];
                node[key] = child;
            }

            node = child;
        }
    }

    private static void Decode(JsonObject node, string path, HashSet<string> fields)
    {
        if (node.Count == 0 || node.ContainsKey("."))
        {
            fields.Add(path);
        }

        foreach (var (key, child) in node)
        {
            if (key.StartsWith("f:", StringComparison.Ordinal) && child is JsonObject next)
            {
                Decode(next, $"{path}/{Escape(key[2..])}", fields);
            }
        }
    }

    private static JsonNode? At(JsonObject obj, string field)
    {
        JsonNode? node = obj;
        foreach (var segment in Segments(field))
        {
            node = node is JsonObject map ? map[segment] : null;
        }

        return node;
    }

    private static void Remove(JsonObject obj, string field)
    {
        var segments = Segments(field).ToList();
        JsonNode? node = obj;
        foreach (var segment in segments[..^1])
        {
            node = node is JsonObject map ? map[segment] : null;
        }

        (node as JsonObject)?.Remove(segments[^1]);
    }

    /// <summary>Apply's merge: maps merge per key, anything else (lists included) replaces.</summary>
    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is JsonObject child && target[key] is JsonObject existing)
            {
                MergeInto(existing, child);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private static IEnumerable<string> Segments(string field) =>
        field.Split('/').Skip(1).Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));

    private static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
