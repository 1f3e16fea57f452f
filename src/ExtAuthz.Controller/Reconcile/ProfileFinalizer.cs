using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;
using ExtAuthz.Controller.Hosting;
using ExtAuthz.Controller.Plugins;
using Microsoft.Extensions.Logging;

namespace ExtAuthz.Controller.Reconcile;

/// <summary>
/// The deletion path, and only cleanup: revoke every plugin in reverse order; on failure retry with backoff, each
/// attempt shown in the <c>PluginsRevoked</c> condition, and after the configured number of attempts give up (saying
/// so in status and an event) rather than hold the Profile in Terminating forever; then remove the finalizer. The
/// namespace and everything in it go by garbage collection — unless the Profile or the namespace carries
/// <see cref="KeepNamespaceAnnotation"/>, in which case the namespace is released first (our ownerReference removed)
/// and survives with its data.
/// </summary>
internal sealed class ProfileFinalizer
{
    public const string KeepNamespaceAnnotation = "profiles.extauthz.io/keep-namespace";

    private readonly ClusterCache _cache;
    private readonly IClusterWriter _writer;
    private readonly PluginRegistry _plugins;
    private readonly int _maxAttempts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private int _writes;

    public ProfileFinalizer(ClusterCache cache, IClusterWriter writer, PluginRegistry plugins, ControllerOptions options, TimeProvider time, ILogger logger)
    {
        _cache = cache;
        _writer = writer;
        _plugins = plugins;
        _maxAttempts = options.RevokeAttempts;
        _time = time;
        _logger = logger;
    }

    public int Writes => Volatile.Read(ref _writes);

    public void Forget(string profile) => _attempts.TryRemove(profile, out _);

    /// <summary>True when the Profile should be retried with backoff.</summary>
    public async Task<bool> FinalizeAsync(ProfileView profile, CancellationToken cancellationToken)
    {
        if (!profile.HasFinalizer)
        {
            return false;
        }

        try
        {
            await KeepNamespaceIfAskedAsync(profile, cancellationToken);
            var (plugins, _, _) = _plugins.Parse(profile.Plugins);
            string? failure = null;
            foreach (var plugin in Enumerable.Reverse(plugins))
            {
                var result = await plugin.RevokeAsync(profile.Name, cancellationToken);
                if (!result.Succeeded)
                {
                    failure = $"{plugin.Kind}: {result.Message}";
                    break;
                }
            }

            var outcome = "none";
            if (failure is not null)
            {
                var attempt = _attempts.AddOrUpdate(profile.Name, 1, (_, n) => n + 1);
                if (attempt < _maxAttempts)
                {
                    await StatusAsync(profile, false, Reasons.RevokeFailed, $"attempt {attempt} of {_maxAttempts}: {failure}", cancellationToken);
                    return true;
                }

                outcome = $"abandoned after {attempt} attempts";
                profile = await StatusAsync(profile, false, Reasons.RevokeAbandoned,
                    $"gave up after {attempt} attempts, the finalizer is removed anyway; undo by hand: {failure}", cancellationToken);
            }
            else if (plugins.Count > 0)
            {
                outcome = $"{plugins.Count} revoked";
                profile = await StatusAsync(profile, true, Reasons.Revoked, $"{plugins.Count} plugins revoked", cancellationToken);
            }

            await RemoveFinalizerAsync(profile, cancellationToken);
            _attempts.TryRemove(profile.Name, out _);
            ControllerLog.Finalized(_logger, profile.Name, outcome);
            return false;
        }
        catch (ApiException ex)
        {
            ControllerLog.Unexpected(_logger, profile.Name, ex.Message);
            return true;
        }
    }

    private async Task KeepNamespaceIfAskedAsync(ProfileView profile, CancellationToken cancellationToken)
    {
        var ns = _cache.Of(ManagedKind.Namespace).Get(null, profile.Name);
        if (ns is null || Meta.ProfileController(ns)?.Uid != profile.Uid
            || (profile.Annotation(KeepNamespaceAnnotation) != "true" && Meta.Annotation(ns, KeepNamespaceAnnotation) != "true"))
        {
            return;
        }

        var others = (ns["metadata"]?["ownerReferences"] as JsonArray ?? [])
            .OfType<JsonObject>().Where(r => Meta.Str(r["uid"]) != profile.Uid).Select(r => (JsonNode?)r.DeepClone());
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["ownerReferences"] = new JsonArray([.. others]), ["resourceVersion"] = Meta.ResourceVersion(ns) },
        };
        _cache.Of(ManagedKind.Namespace).Remember(await _writer.MergePatchAsync(ManagedKind.Namespace, null, profile.Name, patch, cancellationToken));
        Interlocked.Increment(ref _writes);
    }

    private async Task RemoveFinalizerAsync(ProfileView profile, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["finalizers"] = new JsonArray([.. profile.Finalizers.Where(f => f != ProfileView.Finalizer).Select(f => (JsonNode?)f)]),
                ["resourceVersion"] = profile.ResourceVersion,
            },
        };
        await _writer.PatchProfileAsync(profile.Name, patch, cancellationToken);
        Interlocked.Increment(ref _writes);
    }

    /// <summary>Writes the deletion status when it changed; returns the Profile as stored after it.</summary>
    private async Task<ProfileView> StatusAsync(ProfileView profile, bool revoked, string reason, string message, CancellationToken cancellationToken)
    {
        var conditions = new List<(string, bool, string, string)>
        {
            (ProfileStatus.Ready, false, "Deleting", "the Profile is being deleted"),
            (ProfileStatus.PluginsRevoked, revoked, reason, message),
        };
        if (ProfileStatus.Next(profile, conditions, _time.GetUtcNow()) is { } status)
        {
            var stored = await _writer.ApplyProfileStatusAsync(profile.Name, status, cancellationToken);
            Interlocked.Increment(ref _writes);
            if (!revoked)
            {
                try
                {
                    await _writer.RecordEventAsync(profile, "Warning", reason, message, cancellationToken);
                }
                catch (ApiException ex)
                {
                    ControllerLog.EventFailed(_logger, profile.Name, ex.Message);
                }
            }

            return Meta.ResourceVersion(stored) is null ? profile : ProfileView.Read(stored);
        }

        return profile;
    }
}
