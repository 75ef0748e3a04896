using MorfX.Data;
using MorfX.Messaging;
using MorfX.ServiceDefaults;
using Npgsql;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>How long a message waits for PostgreSQL, and what counts as PostgreSQL being down (decision 0032).</summary>
public class DatabaseOutageRetryTests
{
    [Test]
    public void A_message_waits_at_least_ten_minutes_with_backoff_from_one_second_to_thirty()
    {
        var waits = BusExtensions.DatabaseOutageIntervals;

        Assert.That(waits.Aggregate(TimeSpan.Zero, (sum, w) => sum + w), Is.GreaterThanOrEqualTo(TimeSpan.FromMinutes(10)));
        Assert.That(waits.Take(6), Is.EqualTo(new[] { 1, 2, 4, 8, 16, 30 }.Select(s => TimeSpan.FromSeconds(s))), "doubling, never a hot loop");
        Assert.That(waits, Is.All.LessThanOrEqualTo(TimeSpan.FromSeconds(30)), "tried again within 30 s of the database's return");
        Assert.That(waits, Has.Count.EqualTo(24));
    }

    [Test]
    public void Refused_connections_and_shutdowns_count_as_the_database_being_down_however_wrapped_and_bad_statements_do_not()
    {
        var refused = new NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException(111));
        var wrapped = new InvalidOperationException("An exception has been raised that is likely due to a transient failure.",
            new AggregateException(refused));

        Assert.Multiple(() =>
        {
            Assert.That(DatabaseUnavailable.Is(refused), Is.True);
            Assert.That(DatabaseUnavailable.Is(wrapped), Is.True);
            Assert.That(DatabaseUnavailable.Is(new NpgsqlException("timeout", new TimeoutException())), Is.True);
            Assert.That(DatabaseUnavailable.Is(new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01")), Is.True);
            Assert.That(DatabaseUnavailable.Is(new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03")), Is.True);
            Assert.That(DatabaseUnavailable.Is(new PostgresException("duplicate key", "ERROR", "ERROR", "23505")), Is.False, "a refused statement fails fast");
            Assert.That(DatabaseUnavailable.Is(new FormatException("bad message")), Is.False);
        });
    }
}
