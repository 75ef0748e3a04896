using Npgsql;

namespace MorfX.Data;

/// <summary>
/// An exception that means PostgreSQL could not be reached or is restarting (Npgsql's transient faults: connection, I/O,
/// shutdown, too many connections), however EF Core or MassTransit wrapped it; not a statement the database refused.
/// </summary>
public static class DatabaseUnavailable
{
    public static bool Is(Exception? e) => e switch
    {
        null => false,
        NpgsqlException { IsTransient: true } => true,
        AggregateException a => a.InnerExceptions.Any(Is),
        _ => Is(e.InnerException),
    };
}
