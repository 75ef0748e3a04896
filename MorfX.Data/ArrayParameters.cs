using Npgsql;
using NpgsqlTypes;

namespace MorfX.Data;

/// <summary>A column of a set-based statement (<c>unnest(…)</c>, <c>= ANY (…)</c>): one PostgreSQL array parameter of a value per row.</summary>
public static class ArrayParameters
{
    public static NpgsqlParameter Column<T, TValue>(string name, NpgsqlDbType type, IEnumerable<T> rows, Func<T, TValue> value) =>
        Column(name, type, rows.Select(value));

    public static NpgsqlParameter Column<T>(string name, NpgsqlDbType type, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };
}
