using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Data;

public class TaskItem
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public Guid? ContactId { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public bool Completed { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public CrmTask ToMessage() => new(Id, Title, Description, ContactId, DueAt, Completed);
}

public sealed class TaskItemConfiguration : IEntityTypeConfiguration<TaskItem>
{
    public void Configure(EntityTypeBuilder<TaskItem> e)
    {
        e.ToTable("tasks");
        e.HasIndex(t => t.WorkspaceId);
    }
}
