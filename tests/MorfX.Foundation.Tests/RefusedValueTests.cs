using Microsoft.EntityFrameworkCore;
using MorfX.Data;
using MorfX.Testing;
using Npgsql;
using NpgsqlTypes;
using NUnit.Framework;

namespace MorfX.Foundation.Tests;

/// <summary>
/// A value PostgreSQL refuses (a NUL byte, as a Shopify note can carry) fails only its own statement: the next statement on
/// the same connection still works (the Npgsql auto-prepare fault of docs/decisions/0020), with the services' connection settings (auto-prepare) and options. One connection in the
/// pool, so every statement uses it; the refused execution is the statement's second, the one Npgsql prepares it in.
/// </summary>
public class RefusedValueTests
{
    static DbContext Database() => new(new DbContextOptionsBuilder().UseServiceDatabase(DatabaseExtensions.Tuned(
        $"Host=127.0.0.1;Port={TestInfrastructure.PostgresPort};Username=postgres;Password=postgres;Database=postgres;Maximum Pool Size=1"), new DatabaseOptions()).Options);

    static Task<int> LengthAsync(DbContext db, string text) =>
        db.Database.SqlQuery<int>($"SELECT length({text}) AS \"Value\"").SingleAsync();

    /// <summary>A webhook body as webhook-ingest stores it: a jsonb parameter.</summary>
    static Task<string> StoredAsync(DbContext db, ShopifyFixture order) =>
        db.Database.SqlQuery<string>($"SELECT jsonb_typeof({new NpgsqlParameter { Value = order.PayloadText, NpgsqlDbType = NpgsqlDbType.Jsonb }}) AS \"Value\"").SingleAsync();

    [Test]
    public async Task The_order_after_a_shopify_order_postgresql_refuses_is_still_stored()
    {
        var good = ShopifyFixture.Load(Path.Combine(ShopifyFixture.Folder, "vendor/orders-create.shopify-python-api.json"));
        var refused = ShopifyFixture.Load(Path.Combine(ShopifyFixture.Folder, "broken/orders-create.nul-and-lone-surrogate.json"));
        await using var db = Database();
        Assert.That(await StoredAsync(db, good), Is.EqualTo("object"));

        var error = Assert.ThrowsAsync<PostgresException>(() => StoredAsync(db, refused))!;

        Assert.That(error.SqlState, Does.StartWith("22"), "the \\u0000 in the note: a data exception");
        Assert.That(await StoredAsync(db, good), Is.EqualTo("object"), "Shopify's published order, on the same connection");
    }

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
