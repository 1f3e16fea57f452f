using System.Threading.Channels;
using ExtAuthz.Core.Access;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExtAuthz.Kubernetes.Directory;

/// <summary>
/// <c>Policy:Source=Directory</c>: the index from a folder of YAML. Re-read when a file watcher reports a change
/// (after a debounce, since editors and <c>kubectl</c> write in bursts) or when a periodic check finds the files'
/// sizes or times changed (mounted ConfigMaps swap symlinks that watchers miss). A read with any problem is not
/// applied: the last good snapshot keeps serving and the problem shows on <c>/readyz</c> and in the log.
/// </summary>
internal sealed class DirectoryIndexSource : BackgroundService
{
    private readonly AccessIndex _index;
    private readonly string _folder;
    private readonly TimeSpan _debounce;
    private readonly TimeSpan _pollInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private DirectoryStatus _status;
    private string? _fingerprint;
    private int _unadoptedLogged;

    public DirectoryIndexSource(AccessIndex index, string folder, TimeSpan debounce, TimeSpan pollInterval, TimeProvider time, ILogger logger)
    {
        _index = index;
        _folder = Path.GetFullPath(folder);
        _debounce = debounce;
        _pollInterval = pollInterval;
        _time = time;
        _logger = logger;
        _status = new DirectoryStatus { Folder = _folder };
    }

    public string Folder => _folder;

    public object Describe() => Volatile.Read(ref _status);

    /// <summary>Reads the folder now and applies it if it is good; the first read also runs before the host starts serving.</summary>
    public bool Reload()
    {
        _fingerprint = Fingerprint();
        var contents = DirectoryReader.Read(_folder);
        var now = _time.GetUtcNow();
        if (contents.IsGood)
        {
            _index.ReplaceAll(contents.Profiles, contents.RoleBindings, contents.Namespaces);
            Volatile.Write(ref _status, _status with
            {
                Healthy = true,
                Files = contents.Files,
                Profiles = contents.Profiles.Count,
                RoleBindings = contents.RoleBindings.Count,
                Namespaces = contents.Namespaces.Count,
                UnadoptedProfiles = UnadoptedProfiles.Describe(_index.Current),
                IgnoredObjects = contents.IgnoredObjects,
                LastLoadAt = now,
                Loads = _status.Loads + 1,
                Problems = [],
            });
            IndexSourceLog.DirectoryLoaded(_logger, _folder, contents.Files, contents.Profiles.Count, contents.RoleBindings.Count, contents.Namespaces.Count);
            _unadoptedLogged = UnadoptedProfiles.LogIfChanged(_logger, _index.Current!, _unadoptedLogged);
            return true;
        }

        foreach (var problem in contents.Errors)
        {
            IndexSourceLog.DirectoryProblem(_logger, _folder, problem);
        }

        var kept = _index.IsLoaded ? "the last good index keeps serving" : "no index has loaded yet";
        IndexSourceLog.DirectoryNotApplied(_logger, _folder, contents.Errors.Count, kept);
        Volatile.Write(ref _status, _status with { Healthy = false, Problems = contents.Errors, LastErrorAt = now });
        return false;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Read before serving, so a good folder is ready at the first Check.
        Reload();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var watcher = Watch();
        while (!stoppingToken.IsCancellationRequested)
        {
            var signalled = await WaitForChangeAsync(stoppingToken);
            if (signalled)
            {
                // Let a burst of writes settle, then read once.
                await Task.Delay(_debounce, _time, stoppingToken);
                while (_changes.Reader.TryRead(out _))
                {
                }
            }

            if (signalled || Fingerprint() != _fingerprint)
            {
                Reload();
            }
        }
    }

    private async Task<bool> WaitForChangeAsync(CancellationToken stoppingToken)
    {
        using var poll = new CancellationTokenSource(_pollInterval, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, poll.Token);
        try
        {
            await _changes.Reader.WaitToReadAsync(either.Token);
            _changes.Reader.TryRead(out _);
            return true;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private FileSystemWatcher? Watch()
    {
        try
        {
            if (!System.IO.Directory.Exists(_folder))
            {
                return null;
            }

            var watcher = new FileSystemWatcher(_folder) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName };
            watcher.Changed += (_, _) => _changes.Writer.TryWrite(true);
            watcher.Created += (_, _) => _changes.Writer.TryWrite(true);
            watcher.Deleted += (_, _) => _changes.Writer.TryWrite(true);
            watcher.Renamed += (_, _) => _changes.Writer.TryWrite(true);
            watcher.Error += (_, _) => _changes.Writer.TryWrite(true);
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            IndexSourceLog.DirectoryWatchFailed(_logger, _folder, ex.Message);
            return null;
        }
    }

    /// <summary>Names, sizes and write times of the YAML files: cheap to take, and different after any edit.</summary>
    private string Fingerprint()
    {
        try
        {
            if (!System.IO.Directory.Exists(_folder))
            {
                return "missing";
            }

            var hash = new HashCode();
            foreach (var file in DirectoryReader.Files(_folder))
            {
                var info = new FileInfo(file);
                hash.Add(file, StringComparer.Ordinal);
                hash.Add(info.Exists ? info.Length : -1);
                hash.Add(info.Exists ? info.LastWriteTimeUtc.Ticks : 0);
            }

            return hash.ToHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return "unreadable";
        }
    }
}
