namespace ExtAuthz.Core.Access;

/// <summary>
/// The one writer of the access index. Sources feed it whole lists (a first sync or a relist) and single changes
/// (watch events, file edits); it keeps every Profile and RoleBinding it was given and publishes immutable
/// <see cref="AccessSnapshot"/>s. A single change rebuilds only the namespace it touches and copies only the small
/// shard of the namespace map that holds it; the new snapshot is swapped in with one volatile write.
/// Nothing is published until both Profiles and RoleBindings have had their first full sync.
/// </summary>
public sealed class AccessIndex
{
    private readonly Lock _gate = new();
    private readonly RoleMap _roles;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, NamespaceState> _state = new(StringComparer.Ordinal);
    private NamespaceShard[] _published = [.. Enumerable.Repeat(NamespaceShard.Empty, NamespaceShard.Count)];
    private int _profileCount;
    private AccessSnapshot? _current;
    private bool _profilesSynced;
    private bool _bindingsSynced;
    private int _bindingCount;
    private long _version;

    public AccessIndex(RoleMap roles, TimeProvider time)
    {
        _roles = roles;
        _time = time;
    }

    /// <summary>The current snapshot, or null before the first full sync.</summary>
    public AccessSnapshot? Current => Volatile.Read(ref _current);

    public bool IsLoaded => Current is not null;

    public RoleMap Roles => _roles;

    /// <summary>The source feeding this index, for <c>/readyz</c> (its sync state, last error).</summary>
    public IDescribable? Source { get; set; }

    /// <summary>Raised after every publication, on the writer's thread; for sources and tests that wait for a change.</summary>
    public event Action<AccessSnapshot>? Published;

    /// <summary>A first sync or a relist of Profiles: every Profile not listed is gone.</summary>
    public void ReplaceProfiles(IEnumerable<ProfileRecord> profiles)
    {
        lock (_gate)
        {
            SetProfiles(profiles);
            _profilesSynced = true;
            RebuildAll();
        }
    }

    /// <summary>A first sync or a relist of RoleBindings: every RoleBinding not listed is gone.</summary>
    public void ReplaceRoleBindings(IEnumerable<RoleBindingRecord> bindings)
    {
        lock (_gate)
        {
            SetBindings(bindings);
            _bindingsSynced = true;
            RebuildAll();
        }
    }

    /// <summary>Both lists at once (a directory read): one publication.</summary>
    public void ReplaceAll(IEnumerable<ProfileRecord> profiles, IEnumerable<RoleBindingRecord> bindings)
    {
        lock (_gate)
        {
            SetProfiles(profiles);
            SetBindings(bindings);
            _profilesSynced = _bindingsSynced = true;
            RebuildAll();
        }
    }

    public void UpsertProfile(ProfileRecord profile)
    {
        lock (_gate)
        {
            StateOf(profile.Name).Profile = profile;
            Rebuild(profile.Name);
        }
    }

    public void DeleteProfile(string name)
    {
        lock (_gate)
        {
            if (_state.TryGetValue(name, out var state) && state.Profile is not null)
            {
                state.Profile = null;
                Rebuild(name);
            }
        }
    }

    public void UpsertRoleBinding(RoleBindingRecord binding)
    {
        lock (_gate)
        {
            var bindings = StateOf(binding.Namespace).Bindings;
            if (!bindings.ContainsKey(binding.Name))
            {
                _bindingCount++;
            }

            bindings[binding.Name] = binding;
            Rebuild(binding.Namespace);
        }
    }

    public void DeleteRoleBinding(string ns, string name)
    {
        lock (_gate)
        {
            if (_state.TryGetValue(ns, out var state) && state.Bindings.Remove(name))
            {
                _bindingCount--;
                Rebuild(ns);
            }
        }
    }

    private void SetProfiles(IEnumerable<ProfileRecord> profiles)
    {
        foreach (var state in _state.Values)
        {
            state.Profile = null;
        }

        foreach (var profile in profiles)
        {
            StateOf(profile.Name).Profile = profile;
        }
    }

    private void SetBindings(IEnumerable<RoleBindingRecord> bindings)
    {
        foreach (var state in _state.Values)
        {
            state.Bindings.Clear();
        }

        _bindingCount = 0;
        foreach (var binding in bindings)
        {
            var set = StateOf(binding.Namespace).Bindings;
            if (set.TryAdd(binding.Name, binding))
            {
                _bindingCount++;
            }
            else
            {
                set[binding.Name] = binding;
            }
        }
    }

    private NamespaceState StateOf(string ns)
    {
        if (!_state.TryGetValue(ns, out var state))
        {
            state = new NamespaceState();
            _state[ns] = state;
        }

        return state;
    }

    private void RebuildAll()
    {
        var maps = new Dictionary<string, NamespaceAccess>[NamespaceShard.Count];
        var count = 0;
        foreach (var (ns, state) in _state)
        {
            if (state.Profile is not null)
            {
                var map = maps[NamespaceShard.IndexOf(ns)] ??= new Dictionary<string, NamespaceAccess>(StringComparer.Ordinal);
                map[ns] = NamespaceAccessBuilder.Build(state.Profile, state.Bindings.Values, _roles);
                count++;
            }
        }

        _state.Where(s => s.Value.IsEmpty).Select(s => s.Key).ToList().ForEach(ns => _state.Remove(ns));
        _profileCount = count;
        Publish([.. maps.Select(m => m is null ? NamespaceShard.Empty : new NamespaceShard(m))]);
    }

    private void Rebuild(string ns)
    {
        var state = _state[ns];
        var index = NamespaceShard.IndexOf(ns);
        var map = new Dictionary<string, NamespaceAccess>(_published[index].Namespaces, StringComparer.Ordinal);
        if (state.Profile is not null)
        {
            _profileCount += map.ContainsKey(ns) ? 0 : 1;
            map[ns] = NamespaceAccessBuilder.Build(state.Profile, state.Bindings.Values, _roles);
        }
        else if (map.Remove(ns))
        {
            _profileCount--;
        }

        if (state.IsEmpty)
        {
            _state.Remove(ns);
        }

        var shards = (NamespaceShard[])_published.Clone();
        shards[index] = new NamespaceShard(map);
        Publish(shards);
    }

    private void Publish(NamespaceShard[] shards)
    {
        _published = shards;
        if (!_profilesSynced || !_bindingsSynced)
        {
            return;
        }

        var snapshot = new AccessSnapshot(shards, _profileCount, ++_version, _time.GetUtcNow(), _bindingCount);
        Volatile.Write(ref _current, snapshot);
        Published?.Invoke(snapshot);
    }

    /// <summary>The writer's own record of one namespace: its Profile (if any) and every RoleBinding in it.</summary>
    private sealed class NamespaceState
    {
        public ProfileRecord? Profile { get; set; }

        public Dictionary<string, RoleBindingRecord> Bindings { get; } = new(StringComparer.Ordinal);

        public bool IsEmpty => Profile is null && Bindings.Count == 0;
    }
}
