using System.Text.Json;
using ExtAuthz.Core.Access;
using ExtAuthz.Kubernetes.Objects;
using YamlDotNet.Core;

namespace ExtAuthz.Kubernetes.Directory;

/// <summary>
/// Reads every <c>*.yaml</c> / <c>*.yml</c> under a folder: multi-document files and <c>kind: List</c> (what
/// <c>kubectl get -o yaml</c> prints). Profiles, RoleBindings and Namespaces are kept, other kinds ignored. A file that
/// does not parse, or a Profile, RoleBinding or Namespace that is malformed, is an error: the caller then keeps its last good index
/// rather than apply half a folder.
/// </summary>
internal static class DirectoryReader
{
    public static DirectoryContents Read(string folder)
    {
        var profiles = new List<ProfileRecord>();
        var bindings = new List<RoleBindingRecord>();
        var namespaces = new List<NamespaceRecord>();
        var found = new Found(profiles, bindings, namespaces);
        var errors = new List<string>();
        var ignored = 0;

        if (!System.IO.Directory.Exists(folder))
        {
            return new DirectoryContents([], [], [], 0, 0, [$"{folder}: folder not found"]);
        }

        List<string> files;
        try
        {
            files = Files(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new DirectoryContents([], [], [], 0, 0, [$"{folder}: {ex.Message}"]);
        }

        foreach (var file in files)
        {
            var name = Path.GetRelativePath(folder, file);
            try
            {
                var text = File.ReadAllText(file);
                var index = 0;
                foreach (var document in YamlJson.ReadDocuments(text))
                {
                    index++;
                    ignored += Collect(document, $"{name} document {index}", found, errors);
                }
            }
            catch (YamlException ex)
            {
                errors.Add($"{name}: line {ex.Start.Line}, column {ex.Start.Column}: {Flatten(ex)}");
            }
            catch (IOException ex)
            {
                errors.Add($"{name}: {ex.Message}");
            }
            catch (UnauthorizedAccessException ex)
            {
                errors.Add($"{name}: {ex.Message}");
            }
        }

        return new DirectoryContents(profiles, bindings, namespaces, files.Count, ignored, errors);
    }

    /// <summary>The YAML files of the folder and its subfolders, in a stable order.</summary>
    public static List<string> Files(string folder) =>
    [
        .. System.IO.Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>Adds the objects of one document (a List's items too); returns how many were of other kinds.</summary>
    private static int Collect(JsonElement obj, string where, Found found, List<string> errors)
    {
        var kind = KubeObjectReader.KindOf(obj);
        var apiVersion = KubeObjectReader.ApiVersionOf(obj);
        if (kind is "List" || kind is not null && kind.EndsWith("List", StringComparison.Ordinal) && obj.TryGetProperty("items", out _))
        {
            if (!obj.TryGetProperty("items", out var items) || items.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
            {
                errors.Add($"{where}: a {kind} without an items list");
                return 0;
            }

            if (items.ValueKind == JsonValueKind.Null)
            {
                return 0;
            }

            var ignored = 0;
            var i = 0;
            foreach (var item in items.EnumerateArray())
            {
                ignored += Collect(item, $"{where} item {i++}", found, errors);
            }

            return ignored;
        }

        if (kind == "Profile" && KubeObjectReader.IsProfileApiVersion(apiVersion))
        {
            Add(obj, where, kind, KubeObjectReader.TryReadProfile, found.Profiles, errors);
            return 0;
        }

        if (kind == "RoleBinding" && KubeObjectReader.IsRoleBindingApiVersion(apiVersion))
        {
            Add(obj, where, kind, KubeObjectReader.TryReadRoleBinding, found.RoleBindings, errors);
            return 0;
        }

        if (kind == "Namespace" && KubeObjectReader.IsNamespaceApiVersion(apiVersion))
        {
            Add(obj, where, kind, KubeObjectReader.TryReadNamespace, found.Namespaces, errors);
            return 0;
        }

        if (kind is null)
        {
            errors.Add($"{where}: not a Kubernetes object (no kind)");
        }

        return 1;
    }

    /// <summary>Reads one object of a kept kind into <paramref name="into"/>, or names its problem.</summary>
    private static void Add<T>(JsonElement obj, string where, string kind, ObjectReader<T> read, List<T> into, List<string> errors)
        where T : class
    {
        if (read(obj, out var item, out var error))
        {
            into.Add(item!);
        }
        else
        {
            errors.Add($"{where}: {kind} {KubeObjectReader.KeyOf(obj)?.ToString() ?? "(no name)"}: {error}");
        }
    }

    private delegate bool ObjectReader<T>(JsonElement obj, out T? item, out string? error)
        where T : class;

    /// <summary>Where the objects of one read go.</summary>
    private sealed record Found(List<ProfileRecord> Profiles, List<RoleBindingRecord> RoleBindings, List<NamespaceRecord> Namespaces);

    private static string Flatten(Exception ex) => ex.InnerException is null ? ex.Message : $"{ex.Message} ({ex.InnerException.Message})";
}
