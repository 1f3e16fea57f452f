using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;
using ExtAuthz.Controller.Hosting;
using ExtAuthz.Controller.Plugins;

namespace ExtAuthz.Controller.Reconcile;

/// <summary>
/// Makes a Profile's namespace objects match <see cref="WorkspaceShapes"/>: applies an object only when the cache shows
/// it lacks a managed field (so a resync of an unchanged cluster writes nothing, and a hand edit is put back), or when
/// the desired set itself changed since the last success (so a field we stop managing is released). A RoleBinding
/// whose roleRef must change is deleted and created (roleRef is immutable). A quota or policy no longer wanted is
/// deleted. An existing namespace is adopted only when its owner annotation names the Profile's owner or an admin
/// marked it; a system namespace never.
/// </summary>
internal sealed class WorkspaceWriter
{
    public const string AdoptAnnotation = "profiles.extauthz.io/adopt";
    private static readonly string[] s_systemNamespaces = ["default", "kubeflow", "istio-system"];

    private readonly ClusterCache _cache;
    private readonly IClusterWriter _writer;
    private readonly WorkspaceShapes _shapes;
    private readonly NamespaceLabels _labels;
    private readonly HashSet<string> _reserved;
    private readonly ConcurrentDictionary<string, string> _applied = new(StringComparer.Ordinal);
    private int _writes;

    public WorkspaceWriter(ClusterCache cache, IClusterWriter writer, WorkspaceShapes shapes, NamespaceLabels labels, ControllerOptions options)
    {
        _cache = cache;
        _writer = writer;
        _shapes = shapes;
        _labels = labels;
        _reserved = new HashSet<string>(s_systemNamespaces.Concat(options.SystemNamespaces), StringComparer.Ordinal);
    }

    public int Writes => Volatile.Read(ref _writes);

    public void Forget(string profile) => _applied.TryRemove(profile, out _);

    public bool IsReserved(string name) => name.StartsWith("kube-", StringComparison.Ordinal) || _reserved.Contains(name);

    /// <summary>Null when the workspace is in place; otherwise why not.</summary>
    public async Task<Outcome?> EnsureAsync(ProfileView profile, IReadOnlyList<IPluginInstance> plugins, CancellationToken cancellationToken)
    {
        if (IsReserved(profile.Name))
        {
            return Outcome.Blocked(Reasons.NamespaceReserved, $"'{profile.Name}' is a system namespace; a Profile never takes it");
        }

        if (profile.OwnerKind != "User" || string.IsNullOrWhiteSpace(profile.OwnerName))
        {
            return Outcome.Blocked(Reasons.OwnerInvalid,
                $"spec.owner must be {{kind: User, name: <user>}}, not kind '{profile.OwnerKind}' name '{profile.OwnerName}'");
        }

        if (CheckNamespace(profile) is { } refused)
        {
            return refused;
        }

        var editorAnnotations = plugins.SelectMany(p => p.EditorAnnotations).GroupBy(a => a.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        var labels = _labels.Current;
        var desired = new List<(ManagedKind Kind, JsonObject Body)>
        {
            (ManagedKind.Namespace, _shapes.Namespace(profile, labels)),
            (ManagedKind.ServiceAccount, _shapes.ServiceAccount(profile, WorkspaceShapes.Editor, editorAnnotations)),
            (ManagedKind.ServiceAccount, _shapes.ServiceAccount(profile, WorkspaceShapes.Viewer, new Dictionary<string, string>())),
            (ManagedKind.RoleBinding, _shapes.AdminBinding(profile)),
            (ManagedKind.RoleBinding, _shapes.ServiceAccountBinding(profile, WorkspaceShapes.Editor, "kubeflow-edit")),
            (ManagedKind.RoleBinding, _shapes.ServiceAccountBinding(profile, WorkspaceShapes.Viewer, "kubeflow-view")),
        };
        desired.AddRange(_shapes.Policies(profile).Select(p => (ManagedKind.AuthorizationPolicy, p)));
        var quota = profile.Quota is null ? null : _shapes.ResourceQuota(profile);

        var fingerprint = Fingerprint(desired.Select(d => d.Body).Append(quota));
        var force = _applied.TryGetValue(profile.Name, out var last) && last != fingerprint;
        foreach (var (kind, body) in desired)
        {
            await EnsureAsync(kind, body, force, cancellationToken);
        }

        await RemoveUnwantedLabelsAsync(profile, labels, cancellationToken);
        await RemoveStalePoliciesAsync(profile, desired, cancellationToken);
        Outcome? problem = null;
        if (quota is not null)
        {
            try
            {
                await EnsureAsync(ManagedKind.ResourceQuota, quota, force, cancellationToken);
            }
            catch (ApiException ex) when (ex.IsInvalid)
            {
                problem = Outcome.Blocked(Reasons.QuotaInvalid, $"spec.resourceQuotaSpec refused: {ex.Message}");
            }
        }
        else
        {
            await DeleteIfOursAsync(ManagedKind.ResourceQuota, profile, WorkspaceShapes.Quota, cancellationToken);
        }

        _applied[profile.Name] = fingerprint;
        return problem;
    }

    private Outcome? CheckNamespace(ProfileView profile)
    {
        if (_cache.Of(ManagedKind.Namespace).Get(null, profile.Name) is not { } ns)
        {
            return null;
        }

        if (Meta.ProfileController(ns)?.Uid == profile.Uid)
        {
            return Meta.Deleting(ns)
                ? Outcome.Failing(Reasons.NamespaceTerminating, $"namespace '{profile.Name}' is being deleted; it is created again once gone")
                : null;
        }

        if (Meta.Deleting(ns))
        {
            return Outcome.Failing(Reasons.NamespaceTerminating, $"namespace '{profile.Name}' is being deleted");
        }

        var owner = Meta.Annotation(ns, WorkspaceShapes.OwnerAnnotation);
        if (owner == profile.OwnerName || Meta.Annotation(ns, AdoptAnnotation) == "true")
        {
            return null; // explicit adoption: the annotations say this namespace is meant for this Profile
        }

        return Outcome.Blocked(Reasons.NamespaceOwnedByOther,
            $"namespace '{profile.Name}' already exists and is not this Profile's: its owner annotation is '{owner ?? "(none)"}', "
            + $"not '{profile.OwnerName}'; a cluster admin can annotate it {AdoptAnnotation}=true to hand it over");
    }

    private async Task EnsureAsync(ManagedKind kind, JsonObject body, bool force, CancellationToken cancellationToken)
    {
        var store = _cache.Of(kind);
        var cached = store.Get(Meta.Namespace(body), Meta.Name(body));
        if (!force && cached is not null && Converged.Holds(cached, body))
        {
            return;
        }

        if (kind == ManagedKind.RoleBinding && cached?["roleRef"] is { } roleRef && !JsonNode.DeepEquals(roleRef, body["roleRef"]))
        {
            await _writer.DeleteAsync(kind, Meta.Namespace(body), Meta.Name(body), cancellationToken);
            store.Forget(Meta.Namespace(body), Meta.Name(body));
            Interlocked.Increment(ref _writes);
        }

        var stored = await _writer.ApplyAsync(kind, body, cancellationToken);
        store.Remember(stored);
        Interlocked.Increment(ref _writes);
    }

    private async Task RemoveUnwantedLabelsAsync(ProfileView profile, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var ns = _cache.Of(ManagedKind.Namespace).Get(null, profile.Name);
        var present = ns?["metadata"]?["labels"] as JsonObject;
        var unwanted = labels.Where(l => l.Value.Length == 0 && present?.ContainsKey(l.Key) == true).Select(l => l.Key).ToList();
        if (unwanted.Count == 0)
        {
            return;
        }

        var patch = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject(unwanted.Select(k => KeyValuePair.Create(k, (JsonNode?)null))) } };
        _cache.Of(ManagedKind.Namespace).Remember(await _writer.MergePatchAsync(ManagedKind.Namespace, null, profile.Name, patch, cancellationToken));
        Interlocked.Increment(ref _writes);
    }

    private async Task RemoveStalePoliciesAsync(ProfileView profile, List<(ManagedKind Kind, JsonObject Body)> desired, CancellationToken cancellationToken)
    {
        foreach (var name in WorkspaceShapes.PolicyNames)
        {
            if (!desired.Any(d => d.Kind == ManagedKind.AuthorizationPolicy && Meta.Name(d.Body) == name))
            {
                await DeleteIfOursAsync(ManagedKind.AuthorizationPolicy, profile, name, cancellationToken);
            }
        }
    }

    private async Task DeleteIfOursAsync(ManagedKind kind, ProfileView profile, string name, CancellationToken cancellationToken)
    {
        var store = _cache.Of(kind);
        if (store.Get(profile.Name, name) is { } existing && Meta.ProfileController(existing)?.Uid == profile.Uid)
        {
            await _writer.DeleteAsync(kind, profile.Name, name, cancellationToken);
            store.Forget(profile.Name, name);
            Interlocked.Increment(ref _writes);
        }
    }

    private static string Fingerprint(IEnumerable<JsonObject?> bodies)
    {
        var text = new StringBuilder();
        foreach (var body in bodies)
        {
            text.Append(body?.ToJsonString() ?? "-").Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0, 16);
    }
}
