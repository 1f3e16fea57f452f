namespace ExtAuthz.Core.Access;

/// <summary>
/// The one writer of the access index. Sources feed it whole lists (a first sync or a relist) and single changes
/// (watch events, file edits); it keeps every Profile, RoleBinding and Namespace it was given and publishes immutable
/// <see cref="AccessSnapshot"/>s. A single change rebuilds only the namespace it touches and copies only the small
/// shard of the namespace map that holds it; the new snapshot is swapped in with one volatile write.
/// A Profile counts only while its Namespace adopts it (<see cref="ProfileAdoption"/>), so a change to either
/// re-evaluates that one namespace. Nothing is published until Profiles, RoleBindings and Namespaces have all had
/// their first full sync.
/// </summary>
public sealed class AccessIndex
{
    private readonly Lock _gate = new();
    private readonly RoleMap _roles;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, NamespaceState> _state = new(StringComparer.Ordinal);
    private NamespaceShard[] _published = [.. Enumerable.Repeat(NamespaceShard.Empty, NamespaceShard.Count)];
    private int _profileCount;
    private int _unadoptedCount;
    private AccessSnapshot? _current;
    private bool _profilesSynced;
    private bool _bindingsSynced;
    private bool _namespacesSynced;
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

    /// <summary>A first sync or a relist of Namespaces: every Namespace not listed is gone.</summary>
    public void ReplaceNamespaces(IEnumerable<NamespaceRecord> namespaces)
    {
        lock (_gate)
        {
            SetNamespaces(namespaces);
            _namespacesSynced = true;
            RebuildAll();
        }
    }

    /// <summary>All three lists at once (a directory read): one publication.</summary>
    public void ReplaceAll(IEnumerable<ProfileRecord> profiles, IEnumerable<RoleBindingRecord> bindings, IEnumerable<NamespaceRecord> namespaces)
    {
        lock (_gate)
        {
            SetProfiles(profiles);
            SetBindings(bindings);
            SetNamespaces(namespaces);
            _profilesSynced = _bindingsSynced = _namespacesSynced = true;
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

    public void UpsertNamespace(NamespaceRecord ns)
    {
        lock (_gate)
        {
            StateOf(ns.Name).Namespace = ns;
            Rebuild(ns.Name);
        }
    }

    public void DeleteNamespace(string name)
    {
        lock (_gate)
        {
            if (_state.TryGetValue(name, out var state) && state.Namespace is not null)
            {
                state.Namespace = null;
                Rebuild(name);
            }
        }
    }

    /// <summary>
    /// Whether a Profile or a Namespace of this name is known, adopted or not. Takes the writer's lock: for the
    /// workspace API's checks before a write, never for a Check.
    /// </summary>
    public bool Knows(string name)
    {
        lock (_gate)
        {
            return _state.TryGetValue(name, out var state) && (state.Profile is not null || state.Namespace is not null);
        }
    }

    /// <summary>The Profiles, adopted or not, whose owner is this User, in name order. Takes the writer's lock, like <see cref="Knows"/>.</summary>
    public IReadOnlyList<string> ProfilesOwnedBy(string user)
    {
        lock (_gate)
        {
            return [.. _state.Values
                .Select(s => s.Profile)
                .Where(p => p is not null && p.Owner.Kind == SubjectRecord.User && string.Equals(p.Owner.Name, user, StringComparison.Ordinal))
                .Select(p => p!.Name)
                .Order(StringComparer.Ordinal)];
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

    private void SetNamespaces(IEnumerable<NamespaceRecord> namespaces)
    {
        foreach (var state in _state.Values)
        {
            state.Namespace = null;
        }

        foreach (var ns in namespaces)
        {
            StateOf(ns.Name).Namespace = ns;
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
        var refused = new Dictionary<string, string>[NamespaceShard.Count];
        var count = 0;
        var unadopted = 0;
        foreach (var (ns, state) in _state)
        {
            switch (Evaluate(state))
            {
                case (NamespaceAccess access, _):
                    (maps[NamespaceShard.IndexOf(ns)] ??= new Dictionary<string, NamespaceAccess>(StringComparer.Ordinal))[ns] = access;
                    count++;
                    break;
                case (_, string reason):
                    (refused[NamespaceShard.IndexOf(ns)] ??= new Dictionary<string, string>(StringComparer.Ordinal))[ns] = reason;
                    unadopted++;
                    break;
            }
        }

        _state.Where(s => s.Value.IsEmpty).Select(s => s.Key).ToList().ForEach(ns => _state.Remove(ns));
        _profileCount = count;
        _unadoptedCount = unadopted;
        var shards = new NamespaceShard[NamespaceShard.Count];
        for (var i = 0; i < shards.Length; i++)
        {
            shards[i] = maps[i] is null && refused[i] is null
                ? NamespaceShard.Empty
                : new NamespaceShard(maps[i] ?? new Dictionary<string, NamespaceAccess>(StringComparer.Ordinal), refused[i]);
        }

        Publish(shards);
    }

    private void Rebuild(string ns)
    {
        var state = _state[ns];
        var index = NamespaceShard.IndexOf(ns);
        var published = _published[index];
        var namespaces = published.Namespaces;
        var unadopted = published.Unadopted;
        var (access, reason) = Evaluate(state);

        if (access is not null)
        {
            namespaces = new Dictionary<string, NamespaceAccess>(namespaces, StringComparer.Ordinal);
            _profileCount += namespaces.ContainsKey(ns) ? 0 : 1;
            namespaces[ns] = access;
        }
        else if (namespaces.ContainsKey(ns))
        {
            namespaces = new Dictionary<string, NamespaceAccess>(namespaces, StringComparer.Ordinal);
            namespaces.Remove(ns);
            _profileCount--;
        }

        if (reason is not null)
        {
            unadopted = new Dictionary<string, string>(unadopted, StringComparer.Ordinal);
            _unadoptedCount += unadopted.ContainsKey(ns) ? 0 : 1;
            unadopted[ns] = reason;
        }
        else if (unadopted.ContainsKey(ns))
        {
            unadopted = new Dictionary<string, string>(unadopted, StringComparer.Ordinal);
            unadopted.Remove(ns);
            _unadoptedCount--;
        }

        if (state.IsEmpty)
        {
            _state.Remove(ns);
        }

        var shards = (NamespaceShard[])_published.Clone();
        if (!ReferenceEquals(namespaces, published.Namespaces) || !ReferenceEquals(unadopted, published.Unadopted))
        {
            shards[index] = new NamespaceShard(namespaces, unadopted);
        }

        Publish(shards);
    }

    /// <summary>What one namespace publishes: its grants when its Profile is adopted, the refusal when it is not, else nothing.</summary>
    private (NamespaceAccess? Access, string? Unadopted) Evaluate(NamespaceState state)
    {
        if (state.Profile is not { } profile)
        {
            return (null, null);
        }

        var refusal = ProfileAdoption.Refusal(profile, state.Namespace);
        return refusal is null ? (NamespaceAccessBuilder.Build(profile, state.Bindings.Values, _roles), null) : (null, refusal);
    }

    private void Publish(NamespaceShard[] shards)
    {
        _published = shards;
        if (!_profilesSynced || !_bindingsSynced || !_namespacesSynced)
        {
            return;
        }

        var snapshot = new AccessSnapshot(shards, _profileCount, ++_version, _time.GetUtcNow(), _bindingCount, _unadoptedCount);
        Volatile.Write(ref _current, snapshot);
        Published?.Invoke(snapshot);
    }

    /// <summary>The writer's own record of one namespace: its Profile and Namespace (if any) and every RoleBinding in it.</summary>
    private sealed class NamespaceState
    {
        public ProfileRecord? Profile { get; set; }

        public NamespaceRecord? Namespace { get; set; }

        public Dictionary<string, RoleBindingRecord> Bindings { get; } = new(StringComparer.Ordinal);

        public bool IsEmpty => Profile is null && Namespace is null && Bindings.Count == 0;
    }
}
