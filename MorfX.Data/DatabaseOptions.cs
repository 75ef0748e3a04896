using System.ComponentModel.DataAnnotations;

namespace MorfX.Data;

/// <summary>How a service's statements ride out a PostgreSQL fault before the message's own retries see it (decision 0032).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Retries of one statement on a transient fault (a pooled connection broken by a restart, a failover), at most 2 s apart.</summary>
    [Range(0, 10)]
    public int TransientRetries { get; set; } = 5;
}
