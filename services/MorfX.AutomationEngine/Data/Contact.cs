using MorfX.Contracts;

namespace MorfX.AutomationEngine.Data;

public class Contact
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public string? Name { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public List<string> Tags { get; set; } = [];
    public required string Source { get; set; }
    public long? ShopifyCustomerId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public CrmContact ToMessage() => new(Id, Name, Email, Phone, Tags);
}
