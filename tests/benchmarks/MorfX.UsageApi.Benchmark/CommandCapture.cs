using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace MorfX.UsageApi.Benchmark;

/// <summary>Keeps the SQL and parameters EF sends while capturing, so the slowest case can be re-run under EXPLAIN ANALYZE.</summary>
public sealed class CommandCapture : DbCommandInterceptor
{
    public bool Capturing { get; set; }
    public List<(string Sql, NpgsqlParameter[] Parameters)> Commands { get; } = [];

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken ct = default)
    {
        if (Capturing)
            Commands.Add((command.CommandText, command.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone()).ToArray()));
        return base.ReaderExecutingAsync(command, eventData, result, ct);
    }
}
