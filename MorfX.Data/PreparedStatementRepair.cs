using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace MorfX.Data;

/// <summary>
/// Keeps a connection usable after PostgreSQL refuses a value it was sent (a NUL in a text, a <c>\u0000</c> escape in a
/// jsonb: SQLSTATE class 22). With auto-prepare, Npgsql keeps a statement whose preparing execution was refused as prepared
/// without the description of its rows, so its next use on that connection fails: a good write failing for another's bad
/// data (decision 0020). So after such a refusal the connection's prepared statements are dropped (DEALLOCATE ALL), at once
/// when no transaction is open, otherwise when the connection closes, after the rollback; statements used again are prepared
/// anew. Should that fail too, the pool is cleared, so the connection is not handed out again.
/// </summary>
public sealed class PreparedStatementRepair : DbCommandInterceptor, IDbConnectionInterceptor
{
    public static readonly PreparedStatementRepair Instance = new();

    readonly ConditionalWeakTable<DbConnection, object> _toRepair = [];

    PreparedStatementRepair() { }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Refused(command, eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Refused(command, eventData.Exception);
        return Task.CompletedTask;
    }

    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        if (_toRepair.Remove(connection)) Repair(connection);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
        => ValueTask.FromResult(ConnectionClosing(connection, eventData, result));

    void Refused(DbCommand command, Exception fault)
    {
        if (fault is not PostgresException { SqlState: var state } || !state.StartsWith("22", StringComparison.Ordinal)
            || command.Connection is not { State: System.Data.ConnectionState.Open } connection) return;
        if (command.Transaction is null) Repair(connection);
        else _toRepair.AddOrUpdate(connection, this);
    }

    static void Repair(DbConnection connection)
    {
        var npgsql = (NpgsqlConnection)connection;
        try { npgsql.UnprepareAll(); }
        catch (NpgsqlException) { NpgsqlConnection.ClearPool(npgsql); }
    }
}
