using ExtAuthz.Kubernetes.Tests.Fakes;
using Microsoft.Extensions.Logging;

namespace ExtAuthz.Controller.Tests.Hosting;

/// <summary>One <see cref="ListLogger"/> behind every category, so the entries of several replicas keep one order.</summary>
internal sealed class SharedLoggerFactory : ILoggerFactory
{
    public ListLogger Logger { get; } = new();

    public ILogger CreateLogger(string categoryName) => Logger;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
