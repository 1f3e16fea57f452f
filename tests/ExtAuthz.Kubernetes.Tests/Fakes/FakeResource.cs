using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ExtAuthz.Kubernetes.Tests.Fakes;

/// <summary>
/// One resource of the fake API server: its objects, the event log a watch replays from a resourceVersion, the
/// compaction point below which a watch gets 410 Gone, and the open watches that new events are pushed to.
/// </summary>
internal sealed partial class FakeResource
{
    private readonly Lock _gate;
    private readonly Func<long> _nextVersion;
    private readonly SortedDictionary<string, string> _objects = new(StringComparer.Ordinal);
    private readonly List<(long Version, string Line)> _log = [];
    private readonly List<Channel<WatchCommand>> _watchers = [];

    public FakeResource(string path, string listKind, Lock gate, Func<long> nextVersion)
    {
        Path = path;
        ListKind = listKind;
        _gate = gate;
        _nextVersion = nextVersion;
    }

    /// <summary>The collection path, e.g. <c>/apis/kubeflow.org/v1/profiles</c>.</summary>
    public string Path { get; }

    public string ListKind { get; }

    public string ApiVersion => Path.StartsWith("/api/v1/", StringComparison.Ordinal) ? "v1"
        : Path.StartsWith("/apis/kubeflow.org/", StringComparison.Ordinal) ? "kubeflow.org/v1" : "rbac.authorization.k8s.io/v1";

    /// <summary>A watch from a resourceVersion below this gets 410 Gone.</summary>
    public long CompactedVersion { get; private set; }

    public int OpenWatches
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> s_ownerUids = new(StringComparer.Ordinal);
    private static volatile bool s_ownersUnknown;

    /// <summary>
    /// Whether any object ever stored here named an owner: a delete elsewhere scans this resource for dependents only
    /// then (set once, never cleared, so a scan is never skipped wrongly).
    /// </summary>
    public bool MayHaveOwners { get; private set; }

    /// <summary>
    /// Whether an object with this UID may own another: every owner UID ever named by a stored object (shared by every
    /// fake in the process, never cleared), so deleting an object nobody names skips the scan for dependents.
    /// </summary>
    public static bool MayOwnSomething(string? uid) => s_ownersUnknown || uid is null || s_ownerUids.ContainsKey(uid);

    /// <summary>Creates or replaces an object (ADDED or MODIFIED); silent changes reach no watch, as if the events were lost.</summary>
    public long Put(JsonObject obj, bool silent = false)
    {
        lock (_gate)
        {
            if (obj["metadata"]?["ownerReferences"] is JsonArray { Count: > 0 } owners)
            {
                MayHaveOwners = true;
                foreach (var owner in owners)
                {
                    if (owner?["uid"]?.GetValue<string>() is { } ownerUid)
                    {
                        s_ownerUids.TryAdd(ownerUid, 0);
                    }
                }
            }
            var version = _nextVersion();
            obj["metadata"]!["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var key = KeyOf(obj);
            var type = _objects.ContainsKey(key) ? "MODIFIED" : "ADDED";
            var json = obj.ToJsonString();
            _objects[key] = json;
            if (!silent)
            {
                Emit(version, type, json);
            }

            return version;
        }
    }

    /// <summary>Puts raw JSON as an object (a malformed one, say) under a key, with an ADDED/MODIFIED event of that text.</summary>
    public long PutRaw(string key, string json, bool silent = false)
    {
        lock (_gate)
        {
            if (json.Contains("ownerReferences", StringComparison.Ordinal))
            {
                MayHaveOwners = true;
                s_ownersUnknown = true;
            }
            var version = _nextVersion();
            var type = _objects.ContainsKey(key) ? "MODIFIED" : "ADDED";
            _objects[key] = json;
            if (!silent)
            {
                Emit(version, type, json);
            }

            return version;
        }
    }

    /// <summary>A change whose event line the open watches get only half of before their connection drops.</summary>
    public long PutAndDropMidEvent(JsonObject obj)
    {
        lock (_gate)
        {
            var version = _nextVersion();
            obj["metadata"]!["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var key = KeyOf(obj);
            var type = _objects.ContainsKey(key) ? "MODIFIED" : "ADDED";
            var json = obj.ToJsonString();
            _objects[key] = json;
            var line = $$"""{"type":"{{type}}","object":{{json}}}""";
            _log.Add((version, line));
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(new WatchCommand(line, WatchAction.DropMidLine));
            }

            return version;
        }
    }

    public long Delete(string key, bool silent = false)
    {
        lock (_gate)
        {
            var version = _nextVersion();
            if (_objects.Remove(key, out var json) && !silent)
            {
                var node = JsonNode.Parse(json)!;
                if (node["metadata"] is JsonObject metadata)
                {
                    metadata["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                Emit(version, "DELETED", node.ToJsonString());
            }

            return version;
        }
    }

    /// <summary>Sends a BOOKMARK carrying <paramref name="version"/> to every open watch.</summary>
    public void Bookmark(long version)
    {
        var line = "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"" + ListKind[..^4] + "\",\"apiVersion\":\"" + ApiVersion + "\",\"metadata\":{\"resourceVersion\":\"" + version + "\"}}}";
        Broadcast(new WatchCommand(line, WatchAction.Send));
    }

    /// <summary>Forgets every event up to <paramref name="version"/>: a watch from an older resourceVersion is then 410.</summary>
    public void Compact(long version)
    {
        lock (_gate)
        {
            CompactedVersion = version;
            _log.RemoveAll(e => e.Version <= version);
        }
    }

    /// <summary>The ERROR event an API server sends when a watch's resourceVersion is too old.</summary>
    public static string GoneEvent(long asked, long compacted) =>
        $$$"""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: {{{asked}}} ({{{compacted}}})","reason":"Expired","code":410}}""";

    public void Broadcast(WatchCommand command)
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(command);
            }
        }
    }

    /// <summary>A snapshot of every object in key order, for a list.</summary>
    public List<string> Items()
    {
        lock (_gate)
        {
            return [.. _objects.Values];
        }
    }

    /// <summary>Registers a watch from <paramref name="version"/>: the events after it, then whatever comes. Null when it is too old.</summary>
    public Channel<WatchCommand>? Subscribe(long version)
    {
        lock (_gate)
        {
            if (version < CompactedVersion)
            {
                return null;
            }

            var channel = Channel.CreateUnbounded<WatchCommand>();
            foreach (var (v, line) in _log)
            {
                if (v > version)
                {
                    channel.Writer.TryWrite(new WatchCommand(line, WatchAction.Send));
                }
            }

            _watchers.Add(channel);
            return channel;
        }
    }

    public void Unsubscribe(Channel<WatchCommand> channel)
    {
        lock (_gate)
        {
            _watchers.Remove(channel);
        }
    }

    private void Emit(long version, string type, string json)
    {
        var line = $$"""{"type":"{{type}}","object":{{json}}}""";
        _log.Add((version, line));
        foreach (var watcher in _watchers)
        {
            watcher.Writer.TryWrite(new WatchCommand(line, WatchAction.Send));
        }
    }

    private static string KeyOf(JsonObject obj)
    {
        var metadata = obj["metadata"]!;
        var ns = metadata["namespace"]?.GetValue<string>();
        var name = metadata["name"]!.GetValue<string>();
        return ns is null ? name : $"{ns}/{name}";
    }
}

/// <summary>What an open watch should do next: send a line, or drop its connection (optionally mid-line).</summary>
internal sealed record WatchCommand(string? Line, WatchAction Action);

internal enum WatchAction
{
    Send,
    Drop,
    DropMidLine,
}
