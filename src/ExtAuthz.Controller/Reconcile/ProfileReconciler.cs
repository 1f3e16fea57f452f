using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;
using ExtAuthz.Controller.Hosting;
using ExtAuthz.Controller.Plugins;
using Microsoft.Extensions.Logging;

namespace ExtAuthz.Controller.Reconcile;

/// <summary>
/// Reconciles one Profile, read from the cache: a live Profile gets its finalizer first (before any cloud call), then
/// its workspace (<see cref="WorkspaceWriter"/>) and its plugins, then its status; a deleted one gets its plugins
/// revoked in reverse order and its finalizer removed (<see cref="ProfileFinalizer"/>), the owned objects going by
/// garbage collection. Returns whether the Profile should come back with backoff.
/// </summary>
internal sealed class ProfileReconciler
{
    private readonly ClusterCache _cache;
    private readonly IClusterWriter _writer;
    private readonly WorkspaceWriter _workspace;
    private readonly ProfileFinalizer _finalizer;
    private readonly PluginRegistry _plugins;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ProfileReconciler(ClusterCache cache, IClusterWriter writer, WorkspaceWriter workspace, ProfileFinalizer finalizer,
        PluginRegistry plugins, TimeProvider time, ILogger logger)
    {
        _cache = cache;
        _writer = writer;
        _workspace = workspace;
        _finalizer = finalizer;
        _plugins = plugins;
        _time = time;
        _logger = logger;
    }

    /// <summary>Writes made by this reconciler so far (object applies, deletes, patches, status writes).</summary>
    public int Writes => _workspace.Writes + _finalizer.Writes + Volatile.Read(ref _statusWrites);

    private int _statusWrites;

    /// <summary>True when the Profile should be retried with backoff.</summary>
    public async Task<bool> ReconcileAsync(string name, CancellationToken cancellationToken)
    {
        if (_cache.Profiles.Get(null, name) is not { } raw)
        {
            _workspace.Forget(name);
            _finalizer.Forget(name);
            return false;
        }

        var profile = ProfileView.Read(raw);
        if (profile.Deleting)
        {
            return await _finalizer.FinalizeAsync(profile, cancellationToken);
        }

        Outcome outcome;
        try
        {
            if (!profile.HasFinalizer)
            {
                profile = await AddFinalizerAsync(profile, cancellationToken);
            }

            outcome = await ReconcileLiveAsync(profile, cancellationToken);
        }
        catch (ApiException ex)
        {
            outcome = Outcome.Failing(Reasons.ApiError, ex.Message);
        }

        await WriteStatusAsync(profile, outcome, cancellationToken);
        ControllerLog.Reconciled(_logger, name, Writes, outcome.Ready ? "ready" : outcome.Reason);
        return outcome.Retry;
    }

    private async Task<Outcome> ReconcileLiveAsync(ProfileView profile, CancellationToken cancellationToken)
    {
        var (plugins, unknown, invalid) = _plugins.Parse(profile.Plugins);
        if (profile.PluginsError is { } pluginsError)
        {
            invalid.Insert(0, pluginsError);
        }

        var problem = await _workspace.EnsureAsync(profile, plugins, cancellationToken);
        if (problem is not null && problem.Reason is not Reasons.QuotaInvalid)
        {
            return problem; // the namespace is not (yet) ours: no cloud call for it either
        }

        foreach (var plugin in plugins)
        {
            var result = await plugin.ApplyAsync(profile.Name, cancellationToken);
            if (!result.Succeeded)
            {
                problem ??= Outcome.Failing(Reasons.PluginFailed, $"{plugin.Kind}: {result.Message}");
                break;
            }
        }

        if (problem is not null)
        {
            return problem;
        }

        if (unknown.Count > 0)
        {
            return Outcome.Blocked(Reasons.UnknownPlugin, string.Join("; ", unknown));
        }

        return invalid.Count > 0 ? Outcome.Blocked(Reasons.PluginInvalid, string.Join("; ", invalid)) : Outcome.Done;
    }

    private async Task<ProfileView> AddFinalizerAsync(ProfileView profile, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["finalizers"] = new JsonArray([.. profile.Finalizers.Append(ProfileView.Finalizer).Select(f => (JsonNode?)f)]),
                ["resourceVersion"] = profile.ResourceVersion,
            },
        };
        var stored = await _writer.PatchProfileAsync(profile.Name, patch, cancellationToken);
        Interlocked.Increment(ref _statusWrites);
        _cache.Profiles.Remember(stored);
        return ProfileView.Read(stored);
    }

    private async Task WriteStatusAsync(ProfileView profile, Outcome outcome, CancellationToken cancellationToken)
    {
        var status = ProfileStatus.Next(profile, [(ProfileStatus.Ready, outcome.Ready, outcome.Reason, outcome.Message)], _time.GetUtcNow());
        if (!outcome.Ready)
        {
            ControllerLog.NotReady(_logger, profile.Name, outcome.Reason, outcome.Message);
        }

        if (status is null)
        {
            return;
        }

        try
        {
            var stored = await _writer.ApplyProfileStatusAsync(profile.Name, status, cancellationToken);
            Interlocked.Increment(ref _statusWrites);
            if (Meta.ResourceVersion(stored) is not null)
            {
                _cache.Profiles.Remember(stored);
            }
        }
        catch (ApiException ex)
        {
            ControllerLog.Unexpected(_logger, profile.Name, $"status not written: {ex.Message}");
        }

        // One event per change of the outcome, not per retry.
        if (!outcome.Ready)
        {
            await EventAsync(profile, "Warning", outcome.Reason, outcome.Message, cancellationToken);
        }
    }

    private async Task EventAsync(ProfileView profile, string type, string reason, string message, CancellationToken cancellationToken)
    {
        try
        {
            await _writer.RecordEventAsync(profile, type, reason, message, cancellationToken);
        }
        catch (ApiException ex)
        {
            ControllerLog.EventFailed(_logger, profile.Name, ex.Message);
        }
    }
}
