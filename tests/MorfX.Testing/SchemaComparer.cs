using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MorfX.Testing;

/// <summary>
/// Compares a DbContext's EF model with the schema its migrations produced: tables, columns (store type and
/// nullability) and index names. Migrations are hand-written SQL here, so this is what catches drift.
/// </summary>
public static class SchemaComparer
{
    public static async Task<List<string>> DifferencesAsync(DbContext db)
    {
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var table in db.Model.GetRelationalModel().Tables)
        {
            expected.Add($"table {table.Name}");
            foreach (var column in table.Columns)
                expected.Add($"column {table.Name}.{column.Name} {column.StoreType} {(column.IsNullable ? "null" : "not null")}");
            foreach (var index in table.Indexes)
                expected.Add($"index {table.Name}.{index.Name}{(index.IsUnique ? " unique" : "")}");
            if (table.PrimaryKey is { } pk)
                expected.Add($"primary key {table.Name} ({string.Join(",", pk.Columns.Select(c => c.Name))})");
        }

        var actual = new SortedSet<string>(StringComparer.Ordinal);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        try
        {
            await Read(connection, """
                SELECT 'table ' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migrations'
                """, actual);
            await Read(connection, """
                SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                       || CASE WHEN a.attnotnull THEN ' not null' ELSE ' null' END
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migrations' AND a.attnum > 0 AND NOT a.attisdropped
                """, actual);
            await Read(connection, """
                SELECT 'index ' || t.relname || '.' || i.relname || CASE WHEN x.indisunique THEN ' unique' ELSE '' END
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname = 'public' AND NOT x.indisprimary AND t.relname <> 'schema_migrations'
                """, actual);
            await Read(connection, """
                SELECT 'primary key ' || t.relname || ' (' || string_agg(a.attname, ',' ORDER BY array_position(x.indkey::int2[], a.attnum)) || ')'
                FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (x.indkey)
                WHERE n.nspname = 'public' AND x.indisprimary AND t.relname <> 'schema_migrations'
                GROUP BY t.relname
                """, actual);
        }
        finally { await connection.CloseAsync(); }

        return [.. expected.Except(actual).Select(e => "model has, schema lacks: " + e),
                .. actual.Except(expected).Select(a => "schema has, model lacks: " + a)];
    }

    static async Task Read(NpgsqlConnection connection, string sql, ISet<string> into)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) into.Add(reader.GetString(0));
    }
}
