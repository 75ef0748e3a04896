namespace MorfX.AutomationEngine.Catalog;

/// <summary>A list variable (orden.productos): iterable with {{#each}}, and readable on its own ("2 x Camiseta, 1 x Gorra").</summary>
public sealed class TemplateList(IEnumerable<IDictionary<string, object?>> items) : List<IDictionary<string, object?>>(items)
{
    public override string ToString() => string.Join(", ", this.Select(i =>
        i.TryGetValue("cantidad", out var q) && i.TryGetValue("nombre", out var n) ? $"{q} x {n}" : string.Join(" ", i.Values)));
}
