using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ExtAuthz.Kubernetes.Tests.Fakes;

/// <summary>A logger that keeps every message with its event id, so tests can check what was reported.</summary>
internal sealed class ListLogger : ILogger
{
    public ConcurrentQueue<(int EventId, LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((eventId.Id, logLevel, formatter(state, exception)));

    public bool Has(int eventId, string? containing = null) =>
        Entries.Any(e => e.EventId == eventId && (containing is null || e.Message.Contains(containing, StringComparison.Ordinal)));
}
