using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// Every change the workspace API makes, in one order: the rule (<see cref="SharingRules"/>), the write
/// (<see cref="IWorkspaceWriter"/>), then the wait until our own index shows it; each request, allowed or refused,
/// leaves one audit line. The routes (dashboard, kfam, the sharing page) only translate shapes around this.
/// </summary>
internal sealed class WorkspaceService
{
    private readonly SharingRules _rules;
    private readonly WorkspaceView _view;
    private readonly AccessIndex _index;
    private readonly IWorkspaceWriter _writer;
    private readonly IndexWait _wait;
    private readonly SelfServiceAudit _audit;
    private readonly SelfServiceOptions _options;
    private readonly ILogger _logger;

    public WorkspaceService(SharingRules rules, WorkspaceView view, AccessIndex index, IWorkspaceWriter writer, IndexWait wait,
        SelfServiceAudit audit, SelfServiceOptions options, ILogger<WorkspaceService> logger)
    {
        _rules = rules;
        _view = view;
        _index = index;
        _writer = writer;
        _wait = wait;
        _audit = audit;
        _options = options;
        _logger = logger;
    }

    public SharingRules Rules => _rules;

    public WorkspaceView View => _view;

    /// <summary>Whether this caller may create a workspace for themself now (for the page's button and <c>exists</c>).</summary>
    public bool CanCreateOwn(Caller caller) =>
        _rules.Create(caller, "x", caller.UserId, taken: false, _index.ProfilesOwnedBy(caller.UserId).Count) is null;

    public IReadOnlyList<string> OwnedBy(string user) => _index.ProfilesOwnedBy(user);

    public async Task<Outcome> CreateAsync(Caller caller, string name, string? owner, CancellationToken cancellationToken)
    {
        owner ??= caller.UserId;
        var outcome = _rules.Create(caller, name, owner, _index.Knows(name), _index.ProfilesOwnedBy(owner).Count)
            ?? await WriteAsync("create", name, await _writer.CreateWorkspaceAsync(name, owner, cancellationToken),
                () => _index.Knows(name), $"Created namespace {name}", cancellationToken);
        _audit.Record(caller, "create", name, owner, "admin", outcome);
        return outcome;
    }

    public async Task<Outcome> DeleteAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        var outcome = _rules.Delete(caller, _view.Find(name), name, _index.Knows(name))
            ?? await WriteAsync("delete", name, await _writer.DeleteWorkspaceAsync(name, cancellationToken),
                () => !_index.Knows(name) || _view.Find(name) is null, $"Removed namespace/profile {name}", cancellationToken);
        _audit.Record(caller, "delete", name, null, null, outcome);
        return outcome;
    }

    public async Task<Outcome> ShareAsync(Caller caller, string ns, string? kind, string? email, string role, CancellationToken cancellationToken)
    {
        var outcome = await ShareCoreAsync(caller, ns, kind, email, role, cancellationToken);
        _audit.Record(caller, "share", ns, email, role, outcome);
        return outcome;
    }

    public async Task<Outcome> UnshareAsync(Caller caller, string ns, string? kind, string? email, string role, CancellationToken cancellationToken)
    {
        var outcome = await UnshareCoreAsync(caller, ns, kind, email, role, cancellationToken);
        _audit.Record(caller, "unshare", ns, email, role, outcome);
        return outcome;
    }

    private async Task<Outcome> ShareCoreAsync(Caller caller, string ns, string? kind, string? email, string role, CancellationToken cancellationToken)
    {
        var workspace = _view.Find(ns);
        if (SharingRules.Manage(caller, workspace, ns) is { } notOwner)
        {
            return notOwner;
        }

        if (SharingRules.Member(caller, workspace!, kind, email, role, out var member) is { } badMember)
        {
            return badMember;
        }

        var binding = Binding(ns, member, role);
        if (workspace!.Bindings.FirstOrDefault(b => b.Name == binding.Name) is { } existing)
        {
            // Adding what is there is a no-op; a binding of that name granting something else is not ours to overwrite.
            return existing.RoleRefName == binding.ClusterRole && existing.Subjects is [{ Kind: SubjectRecord.User } s] && s.Name == member
                ? Outcome.Ok("unchanged", $"{member} already has {role} in {ns}")
                : Outcome.Conflict("binding_conflict", $"a RoleBinding named {binding.Name} in {ns} grants something else");
        }

        return await WriteAsync("share", ns, await _writer.AddMemberAsync(binding, cancellationToken),
            () => _view.Find(ns)?.Bindings.Any(b => b.Name == binding.Name) == true, $"{member} now has {role} in {ns}", cancellationToken);
    }

    private async Task<Outcome> UnshareCoreAsync(Caller caller, string ns, string? kind, string? email, string role, CancellationToken cancellationToken)
    {
        var workspace = _view.Find(ns);
        if (SharingRules.Manage(caller, workspace, ns) is { } notOwner)
        {
            return notOwner;
        }

        if (SharingRules.Member(caller, workspace!, kind, email, role, out var member) is { } badMember)
        {
            return badMember;
        }

        var binding = Binding(ns, member, role);
        if (binding.Name == KfamNames.OwnerBinding || workspace!.Bindings.All(b => b.Name != binding.Name))
        {
            return Outcome.NotFound($"{member} has no {role} binding in {ns}");
        }

        return await WriteAsync("unshare", ns, await _writer.RemoveMemberAsync(binding, cancellationToken),
            () => _view.Find(ns)?.Bindings.Any(b => b.Name == binding.Name) != true, $"{member} no longer has {role} in {ns}", cancellationToken);
    }

    private MemberBinding Binding(string ns, string email, string role) => new(ns, KfamNames.BindingName(email, role), email, role, role switch
    {
        "admin" => _index.Roles.Admin,
        "view" => _index.Roles.View,
        _ => _index.Roles.Edit,
    });

    private async Task<Outcome> WriteAsync(string action, string ns, WriteResult written, Func<bool> visible, string message, CancellationToken cancellationToken)
    {
        if (written.AsRefusal() is { } failed)
        {
            return failed;
        }

        if (!await _wait.UntilAsync(visible, _options.VisibleTimeout, cancellationToken))
        {
            SelfServiceLog.NotVisible(_logger, action, ns, _options.VisibleTimeout);
            return Outcome.Ok("written_not_visible", $"{message} (not yet visible here)");
        }

        return Outcome.Ok("done", message);
    }
}
