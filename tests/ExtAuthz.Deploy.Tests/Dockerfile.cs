namespace ExtAuthz.Deploy.Tests;

/// <summary>A Dockerfile read as its instructions, grouped by build stage; comments and line continuations resolved.</summary>
internal sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<Stage> stages, IReadOnlyDictionary<string, string> globalArgs)
    {
        Stages = stages;
        GlobalArgs = globalArgs;
    }

    public IReadOnlyList<Stage> Stages { get; }

    /// <summary>The <c>ARG name=default</c> lines before the first FROM (they may name a stage's base image).</summary>
    public IReadOnlyDictionary<string, string> GlobalArgs { get; }

    public Stage Final => Stages[^1];

    public static Dockerfile Load(string relativePath)
    {
        var stages = new List<Stage>();
        var globalArgs = new Dictionary<string, string>(StringComparer.Ordinal);
        var logical = "";
        foreach (var raw in File.ReadAllLines(RepoRoot.Combine(relativePath)))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && logical.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                logical += line[..^1] + " ";
                continue;
            }

            logical += line;
            var parts = logical.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            logical = "";
            if (parts.Length == 0)
            {
                continue;
            }

            var instruction = new Instruction(parts[0].ToUpperInvariant(), parts.Length > 1 ? parts[1] : "");
            if (instruction.Keyword == "FROM")
            {
                stages.Add(new Stage(instruction.Arguments));
            }
            else if (instruction.Keyword == "ARG" && stages.Count == 0)
            {
                var (name, value) = instruction.Arguments.Split('=', 2) is [var n, var v] ? (n, v) : (instruction.Arguments, "");
                globalArgs[name] = value;
            }
            else
            {
                Assert.True(stages.Count > 0, $"{relativePath}: {instruction.Keyword} before the first FROM");
                stages[^1].Instructions.Add(instruction);
            }
        }

        return new Dockerfile(stages, globalArgs);
    }

    internal sealed record Instruction(string Keyword, string Arguments);

    internal sealed class Stage(string from)
    {
        /// <summary>The FROM arguments, e.g. <c>mcr.microsoft.com/dotnet/sdk:10.0 AS build</c>.</summary>
        public string From { get; } = from;

        public string Image => From.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

        public List<Instruction> Instructions { get; } = [];

        public IEnumerable<string> Arguments(string keyword) =>
            Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);
    }
}
