using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
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

public sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> e)
    {
        e.ToTable("contacts");
        e.HasIndex(c => new { c.WorkspaceId, c.Phone }).IsUnique().HasFilter("phone IS NOT NULL");
        e.HasIndex(c => new { c.WorkspaceId, c.Email }).IsUnique().HasFilter("email IS NOT NULL");
    }
}
