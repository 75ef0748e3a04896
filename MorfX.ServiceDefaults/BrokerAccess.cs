namespace MorfX.ServiceDefaults;

/// <summary>
/// What a service does on the broker (deploy/resources.json): the exchanges it publishes to and consumes from, by the
/// names MassTransit gives them ([EntityName], else "Namespace:Type"; a published type's interfaces are exchanges too),
/// the queues of other services it sends to directly (bulk lanes), and the services whose requests it answers (their bus
/// endpoints). <see cref="BrokerPermissions"/> turns it into the user's permissions.
/// </summary>
public sealed record BrokerAccess(
    IReadOnlyList<string> Publishes, IReadOnlyList<string> Consumes,
    IReadOnlyList<string>? SendsTo = null, IReadOnlyList<string>? RespondsTo = null);
