using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.ConfigApi.Data;

/// <summary>What one service reported holding for a data request (JSON).</summary>
public class CustomerDataReport
{
    public Guid RequestId { get; set; }
    public required string Service { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Data { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
}

public sealed class CustomerDataReportConfiguration : IEntityTypeConfiguration<CustomerDataReport>
{
    public void Configure(EntityTypeBuilder<CustomerDataReport> e)
    {
        e.HasKey(r => new { r.RequestId, r.Service });
        e.HasIndex(r => r.ReportedAt);
    }
}
