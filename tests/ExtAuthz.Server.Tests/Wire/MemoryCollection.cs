namespace ExtAuthz.Server.Tests.Wire;

/// <summary>Tests that measure the process's heap run alone: nothing else allocates while they measure.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "Memory";
}
