using System.Collections.Frozen;
using System.Text.Json;
using ExtAuthz.Kubernetes.Objects;

namespace ExtAuthz.Controller.Reconcile;

/// <summary>
/// The labels every profile namespace carries: Kubeflow's defaults, or a YAML map read from a file (a mounted
/// ConfigMap) that is re-read when its content changes; a change re-queues every Profile. A value of "" means the
/// label must be absent. A file that stops parsing keeps the last good set (and says so) rather than stopping the process.
/// </summary>
internal sealed class NamespaceLabels : IDisposable
{
    /// <summary>What Kubeflow's manifests mount (base and kubeflow overlay), plus sidecar injection.</summary>
    public static readonly FrozenDictionary<string, string> KubeflowDefaults = new Dictionary<string, string>
    {
        ["istio-injection"] = "enabled",
        ["app.kubernetes.io/part-of"] = "kubeflow-profile",
        ["katib.kubeflow.org/metrics-collector-injection"] = "enabled",
        ["pipelines.kubeflow.org/enabled"] = "true",
        ["serving.kubeflow.org/inferenceservice"] = "enabled",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly string? _path;
    private readonly ITimer? _timer;
    private string? _lastText;
    private volatile IReadOnlyDictionary<string, string> _current = KubeflowDefaults;

    public NamespaceLabels(string? path, TimeProvider time, TimeSpan pollInterval)
    {
        _path = string.IsNullOrEmpty(path) ? null : path;
        if (_path is not null)
        {
            Reload();
            _timer = time.CreateTimer(_ => Reload(), null, pollInterval, pollInterval);
        }
    }

    public IReadOnlyDictionary<string, string> Current => _current;

    /// <summary>The last problem reading the file, or null.</summary>
    public string? Problem { get; private set; }

    /// <summary>Raised after the set changed.</summary>
    public event Action? Changed;

    /// <summary>Re-reads the file now; true when the set changed.</summary>
    public bool Reload()
    {
        if (_path is null)
        {
            return false;
        }

        string text;
        try
        {
            text = File.ReadAllText(_path);
        }
        catch (IOException ex)
        {
            Problem = ex.Message;
            return false;
        }

        if (text == _lastText)
        {
            return false;
        }

        if (!TryParse(text, out var labels, out var problem))
        {
            Problem = problem;
            return false;
        }

        _lastText = text;
        Problem = null;
        _current = labels;
        Changed?.Invoke();
        return true;
    }

    public static bool TryParse(string text, out IReadOnlyDictionary<string, string> labels, out string? problem)
    {
        labels = FrozenDictionary<string, string>.Empty;
        try
        {
            var documents = YamlJson.ReadDocuments(text);
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            if (documents.Count > 0)
            {
                if (documents[0].ValueKind != JsonValueKind.Object)
                {
                    problem = "not a map of label names to values";
                    return false;
                }

                foreach (var property in documents[0].EnumerateObject())
                {
                    map[property.Name] = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString()!,
                        JsonValueKind.Null => "",
                        _ => property.Value.GetRawText(),
                    };
                }
            }

            labels = map.ToFrozenDictionary(StringComparer.Ordinal);
            problem = null;
            return true;
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InvalidOperationException)
        {
            problem = ex.Message;
            return false;
        }
    }

    public void Dispose() => _timer?.Dispose();
}
