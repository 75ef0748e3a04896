using Microsoft.EntityFrameworkCore;
using MorfX.ServiceDefaults.Data;
using MorfX.Testing;
using Npgsql;
using NUnit.Framework;

namespace MorfX.Foundation.Tests;

/// <summary>
/// A value PostgreSQL refuses (a NUL byte, as a Shopify note can carry) fails only its own statement: the next statement on
/// the same connection still works, with the services' connection settings (auto-prepare) and options. One connection in the
/// pool, so every statement uses it; the refused execution is the statement's second, the one Npgsql prepares it in.
/// </summary>
public class RefusedValueTests
{
    static DbContext Database() => new(new DbContextOptionsBuilder().UseServiceDatabase(DatabaseExtensions.Tuned(
        $"Host=127.0.0.1;Port={TestInfrastructure.PostgresPort};Username=postgres;Password=postgres;Database=postgres;Maximum Pool Size=1")).Options);

    static Task<int> LengthAsync(DbContext db, string text) =>
        db.Database.SqlQuery<int>($"SELECT length({text}) AS \"Value\"").SingleAsync();

    [Test]
    public async Task The_statement_after_a_refused_value_still_works()
    {
        await using var db = Database();
        Assert.That(await LengthAsync(db, "Pedido 1001"), Is.EqualTo(11));

        var refused = Assert.ThrowsAsync<PostgresException>(() => LengthAsync(db, "Entregar\0 en la tarde"))!;

        Assert.That(refused.SqlState, Is.EqualTo(PostgresErrorCodes.CharacterNotInRepertoire));
        Assert.That(await LengthAsync(db, "Pedido 1002"), Is.EqualTo(11), "the same statement with good data, on the same connection");
        Assert.That(await LengthAsync(db, "Pedido 1003"), Is.EqualTo(11));
    }

    [Test]
    public async Task The_statement_after_a_value_refused_in_a_transaction_still_works()
    {
        await using var db = Database();
        Assert.That(await LengthAsync(db, "Pedido 1001"), Is.EqualTo(11));

        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.That(Assert.ThrowsAsync<PostgresException>(() => LengthAsync(db, "Entregar\0 en la tarde"))!.SqlState,
                Is.EqualTo(PostgresErrorCodes.CharacterNotInRepertoire));
            await transaction.RollbackAsync();
        });

        Assert.That(await LengthAsync(db, "Pedido 1002"), Is.EqualTo(11));
    }
}
