namespace ExtAuthz.Core.Access;

/// <summary>A part that can describe its state for <c>/readyz</c> (a small JSON-serialisable object).</summary>
public interface IDescribable
{
    object Describe();
}
