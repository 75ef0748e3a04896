namespace MorfX.Contracts;

public record CrmContact(Guid Id, string? Name, string? Email, string? Phone, IReadOnlyList<string> Tags);

public record CrmOrder(Guid Id, Guid? ContactId, string Source, string? ExternalId, string? Number, decimal? Total, string? Currency, string? PaymentStatus);

public record CrmTask(Guid Id, string Title, string? Description, Guid? ContactId, DateTimeOffset? DueAt, bool Completed);

/// <summary>Published for the existing WhatsApp service, which owns the sending.</summary>
public record SendWhatsAppRequested(Guid RequestId, Guid WorkspaceId, string To, string Body, Guid? AutomationId, Guid? RunId);
