using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Data;

public class AutomationRunStep
{
    public Guid Id { get; set; }
    public Guid RunId { get; set; }
    public int StepIndex { get; set; }
    public required string Action { get; set; }
    public required string Status { get; set; }
    /// <summary>What the step produced: the rendered text, or the record it wrote.</summary>
    public string? Output { get; set; }
    public string? ErrorCode { get; set; }
    public string? Error { get; set; }
    /// <summary>The id of the message it published (SmsRequested.RequestId) or of the record it created.</summary>
    public Guid? ResultId { get; set; }
    /// <summary>A waiting step (a wait, or an SMS held by its send window): when it goes on.</summary>
    public DateTimeOffset? ResumeAt { get; set; }

    /// <summary>What a step did when it ran again (an SMS held by its window, when the window opened).</summary>
    public void CopyFrom(AutomationRunStep again)
    {
        (Action, Status, Output, ErrorCode, Error, ResultId) = (again.Action, again.Status, again.Output, again.ErrorCode, again.Error, again.ResultId);
        ResumeAt = again.ResumeAt ?? ResumeAt;
    }
}

public sealed class AutomationRunStepConfiguration : IEntityTypeConfiguration<AutomationRunStep>
{
    public void Configure(EntityTypeBuilder<AutomationRunStep> e)
    {
        e.ToTable("automation_run_steps");
        e.HasIndex(s => new { s.RunId, s.StepIndex }).IsUnique();
        e.HasIndex(s => s.ResultId);
    }
}
