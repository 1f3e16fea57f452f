using ExtAuthz.Kubernetes.Tests.Fakes;

namespace ExtAuthz.Kubernetes.Tests.Informers;

/// <summary>A fake API server and, once started, the Kubernetes source's harness over it; both torn down after each test.</summary>
public abstract class SourceTestBase : IAsyncLifetime
{
    private protected FakeKubernetesApi Api { get; } = new();

    private protected KubernetesHarness Harness { get; set; } = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Harness is not null)
        {
            await Harness.DisposeAsync();
        }

        await Api.DisposeAsync();
    }

    private protected async Task StartAsync(int pageSize = 500)
    {
        await Api.StartAsync();
        Harness = new KubernetesHarness(Api, pageSize);
        await Harness.StartAsync();
    }
}
