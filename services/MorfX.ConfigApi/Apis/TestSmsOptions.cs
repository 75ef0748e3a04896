using System.ComponentModel.DataAnnotations;

namespace MorfX.ConfigApi.Apis;

/// <summary>
/// "Probar conexión" sends a real, paid SMS (section TestSms): at most PermitLimit (5) per workspace per WindowMinutes (10),
/// each answered within TimeoutSeconds (15) or reported as not confirmed.
/// </summary>
public sealed class TestSmsOptions
{
    public const string Section = "TestSms";

    [Range(1, 120)] public int TimeoutSeconds { get; set; } = 15;

    [Range(1, 1_000)] public int PermitLimit { get; set; } = 5;

    [Range(0.1, 1_440)] public double WindowMinutes { get; set; } = 10;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public TimeSpan Window => TimeSpan.FromMinutes(WindowMinutes);
}
