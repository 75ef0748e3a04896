using System.Diagnostics;

static class Plot
{
    /// <summary>latency.png: end-to-end and webhook latency of every measured order, from when it was due, one series per rate (gnuplot).</summary>
    public static void Write(string dir, List<int> rates)
    {
        var series = string.Join(", ", rates.Select(r => $"'latency-{r}.dat' using 1:3 with points pt 7 ps 0.3 title 'end-to-end, {r}/s', '' using 1:2 with points pt 7 ps 0.2 title 'webhook, {r}/s'"));
        File.WriteAllText(Path.Combine(dir, "latency.gp"), $"""
            set terminal png size 1200,700
            set output 'latency.png'
            set title 'MorfX: Shopify order -> SMS at Twilio, latency from when each order was due'
            set xlabel 'seconds since the first measured order was due'
            set ylabel 'latency (ms)'
            set logscale y
            set grid
            set key outside right
            plot {series}
            """);
        try
        {
            using var gnuplot = Process.Start(new ProcessStartInfo("gnuplot", "latency.gp") { WorkingDirectory = dir, RedirectStandardError = true })!;
            gnuplot.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception) { Console.WriteLine("gnuplot not found: latency.gp and the .dat files are written; install gnuplot-nox to draw latency.png"); }
    }
}
