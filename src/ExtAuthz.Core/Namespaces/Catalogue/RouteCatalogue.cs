using System.Reflection;

namespace ExtAuthz.Core.Namespaces.Catalogue;

/// <summary>
/// The route catalogue: the Kubeflow apps shipped with the service (<c>catalogue/*.yaml</c>, embedded), the files named
/// by <c>Policy:RouteCatalogues</c>, and each <c>Policy:NamespaceRules</c> entry as an app of its own. Loaded and
/// validated at start; every problem is reported at once.
/// </summary>
public sealed class RouteCatalogue
{
    private const string ResourcePrefix = "catalogue/";

    private RouteCatalogue(IReadOnlyList<CatalogueApp> apps) => Apps = apps;

    public IReadOnlyList<CatalogueApp> Apps { get; }

    /// <summary>The shipped catalogue alone.</summary>
    public static RouteCatalogue Default { get; } = Build([], [], []);

    /// <summary>The shipped files, by name, as text.</summary>
    public static IEnumerable<(string Name, string Text)> Shipped()
    {
        var assembly = typeof(RouteCatalogue).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (name, reader.ReadToEnd());
        }
    }

    /// <summary>Shipped files, then operator files, then namespace rules; problems go to <paramref name="errors"/>.</summary>
    public static RouteCatalogue Load(IReadOnlyList<string> files, IReadOnlyList<string> namespaceRules, List<string> errors)
    {
        var texts = new List<(string, string)>();
        for (var i = 0; i < files.Count; i++)
        {
            try
            {
                texts.Add((files[i], File.ReadAllText(files[i])));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                errors.Add($"Policy:RouteCatalogues:{i}: '{files[i]}' cannot be read: {e.Message}");
            }
        }

        return Build(texts, namespaceRules, errors);
    }

    /// <summary>Like <see cref="Load"/>, for a validated configuration: a problem here is a bug, so it throws.</summary>
    public static RouteCatalogue LoadValidated(IReadOnlyList<string> files, IReadOnlyList<string> namespaceRules)
    {
        var errors = new List<string>();
        var catalogue = Load(files, namespaceRules, errors);
        return errors.Count == 0 ? catalogue : throw new InvalidOperationException(string.Join('\n', errors));
    }

    private static RouteCatalogue Build(IEnumerable<(string Name, string Text)> operatorFiles, IReadOnlyList<string> namespaceRules, List<string> errors)
    {
        var apps = new List<CatalogueApp>();
        foreach (var (name, text) in Shipped().Concat(operatorFiles))
        {
            apps.AddRange(CatalogueReader.Read(name, text, errors));
        }

        for (var i = 0; i < namespaceRules.Count; i++)
        {
            if (NamespaceRuleParser.TryParse(namespaceRules[i], $"Policy:NamespaceRules:{i}", out var error) is { } app)
            {
                apps.Add(app);
            }
            else
            {
                errors.Add($"Policy:NamespaceRules:{i}: {error}");
            }
        }

        foreach (var duplicate in apps.GroupBy(a => a.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"{string.Join(", ", duplicate.Select(a => a.File).Distinct())}: app '{duplicate.Key}' is defined {duplicate.Count()} times");
        }

        return new RouteCatalogue(apps);
    }
}
