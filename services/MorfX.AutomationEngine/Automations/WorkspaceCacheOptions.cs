using System.ComponentModel.DataAnnotations;

namespace MorfX.AutomationEngine.Automations;

/// <summary>How many workspaces one instance keeps in <see cref="WorkspaceCache"/> (Engine:MaxCachedWorkspaces, 10 000).</summary>
public sealed class WorkspaceCacheOptions
{
    public const string Section = "Engine";

    [Range(1, 10_000_000, ErrorMessage = "Engine:MaxCachedWorkspaces must be between {1} and {2}.")]
    public int MaxCachedWorkspaces { get; set; } = 10_000;
}
