using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ExtAuthz.Server.Tests.SelfService;

/// <summary>One decision-log line per change request, allowed or refused: caller, action, namespace, member, role, outcome; never a token.</summary>
public sealed class AuditLineTests : IAsyncLifetime
{
    private readonly LineCapture _lines = new();
    private SelfServiceHost _host = null!;

    public async Task InitializeAsync() => _host = await SelfServiceHost.StartAsync(
        ["--Logging:LogLevel:ExtAuthz.Server.SelfService=Information"], configure: builder => builder.Logging.AddProvider(_lines));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Change_AllowedAndRefused_OneLineEachWithoutTheToken()
    {
        var token = await _host.TokenAsync("alice@example.com");
        await _host.CallAsync("alice@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/alice", new { contributor = "erin@example.com" });
        await _host.CallAsync("mallory@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/alice", new { contributor = "mallory@example.com" });
        await _host.CallAsync("alice@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/alice", new { contributor = "x@example.com\nselfservice_change forged" });

        var changes = _lines.Messages.Where(m => m.StartsWith("selfservice_change", StringComparison.Ordinal)).ToList();

        Assert.Equal(3, changes.Count);
        Assert.StartsWith("selfservice_change caller=alice@example.com via=token action=share namespace=alice member=erin@example.com role=edit status=200 outcome=done", changes[0], StringComparison.Ordinal);
        Assert.StartsWith("selfservice_change caller=mallory@example.com via=token action=share namespace=alice member=mallory@example.com role=edit status=403 outcome=not_owner", changes[1], StringComparison.Ordinal);
        Assert.StartsWith("selfservice_change caller=alice@example.com via=token action=share namespace=alice member=x@example.com_selfservice_change_forged role=edit status=400 outcome=invalid_member", changes[2], StringComparison.Ordinal);
        Assert.All(changes, line => Assert.DoesNotContain('\n', line));
        Assert.DoesNotContain(_lines.Messages, m => m.Contains(token.Split('.')[2][..20], StringComparison.Ordinal));
    }

    private sealed class LineCapture : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Queue { get; } = new();

        public IEnumerable<string> Messages => Queue;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Queue.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}
