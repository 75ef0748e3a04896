/// <summary>Nearest-rank percentiles of a set of latencies (NaN when empty).</summary>
sealed record Percentiles(double P50, double P95, double P99, double Max)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        double At(double q) => sorted.Length == 0 ? double.NaN : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)], 1);
        return new(At(0.50), At(0.95), At(0.99), sorted.Length == 0 ? double.NaN : Math.Round(sorted[^1], 1));
    }
}
