namespace MorfX.Data;

/// <summary>
/// A table that only grows. Rows whose <paramref name="AgeColumn"/> is older than Retention:Keep:{Table} (else
/// <paramref name="Keep"/>) and that match <paramref name="Condition"/> (SQL, optional) are deleted by
/// <see cref="RetentionWorker{TContext}"/>. <paramref name="AtLeast"/> protects what needs the rows for a while (a dedupe
/// key must outlive the vendor's redeliveries): a shorter setting stops start-up. A setting of 0 keeps the table whole.
/// <paramref name="AgeColumn"/> needs an index of its own: deletes walk it oldest first.
/// </summary>
public sealed record RetentionRule(string Table, string AgeColumn, TimeSpan Keep, TimeSpan AtLeast, string? Condition = null);
