namespace ExtAuthz.Server.SelfService;

/// <summary>
/// Writes into the directory source's folder, under <c>selfservice/</c>: one file per workspace (its Profile and, since
/// no profile controller runs here, the Namespace that adopts it) and one per membership (its RoleBinding). Each file
/// is written beside its final name as a dot-file (which the reader skips) and renamed into place, so the directory
/// watch of every replica sharing the folder sees either nothing or the whole change. Only files written here are
/// removed; objects from the operator's own files are refused (<c>not_managed</c>): edit those by hand.
/// </summary>
internal sealed class DirectoryWorkspaceWriter : IWorkspaceWriter
{
    public const string Subfolder = "selfservice";

    private readonly string _root;

    public DirectoryWorkspaceWriter(string folder) => _root = Path.Combine(folder, Subfolder);

    public string Root => _root;

    public Task<WriteResult> CreateWorkspaceAsync(string name, string owner, CancellationToken cancellationToken) =>
        Task.FromResult(WriteNew(WorkspaceFile(name), WorkspaceObjects.List(WorkspaceObjects.Profile(name, owner), WorkspaceObjects.Namespace(name, owner)).ToJsonString()));

    public Task<WriteResult> DeleteWorkspaceAsync(string name, CancellationToken cancellationToken)
    {
        var file = WorkspaceFile(name);
        if (!File.Exists(file))
        {
            return Task.FromResult(new WriteResult(WriteStatus.NotManaged, $"workspace {name} was not created through this API; remove it from the folder by hand"));
        }

        // Memberships first, so no binding outlives its workspace's file.
        foreach (var member in Directory.EnumerateFiles(_root, $"member-{name}.*.yaml"))
        {
            File.Delete(member);
        }

        File.Delete(file);
        return Task.FromResult(WriteResult.Done);
    }

    public Task<WriteResult> AddMemberAsync(MemberBinding binding, CancellationToken cancellationToken) =>
        Task.FromResult(WriteNew(MemberFile(binding), WorkspaceObjects.RoleBinding(binding).ToJsonString()));

    public Task<WriteResult> RemoveMemberAsync(MemberBinding binding, CancellationToken cancellationToken)
    {
        var file = MemberFile(binding);
        if (!File.Exists(file))
        {
            return Task.FromResult(new WriteResult(WriteStatus.NotManaged,
                $"RoleBinding {binding.Name} in {binding.Namespace} was not written through this API; remove it from the folder by hand"));
        }

        File.Delete(file);
        return Task.FromResult(WriteResult.Done);
    }

    // Names are a DNS label and a kfam binding name ([a-z0-9-]): safe in a file name, and '.' separates them.
    private string WorkspaceFile(string name) => Path.Combine(_root, $"workspace-{name}.yaml");

    private string MemberFile(MemberBinding binding) => Path.Combine(_root, $"member-{binding.Namespace}.{binding.Name}.yaml");

    private WriteResult WriteNew(string path, string json)
    {
        try
        {
            Directory.CreateDirectory(_root);
            var temporary = Path.Combine(_root, $".{Guid.NewGuid():N}.tmp");
            File.WriteAllText(temporary, json + "\n");
            try
            {
                File.Move(temporary, path, overwrite: false);
                return WriteResult.Done;
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
                return new WriteResult(WriteStatus.Exists, $"{Path.GetFileName(path)} already exists");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new WriteResult(WriteStatus.Failed, $"writing {Path.GetFileName(path)} failed: {ex.Message}");
        }
    }
}
