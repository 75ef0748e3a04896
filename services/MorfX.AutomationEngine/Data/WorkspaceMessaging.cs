using MorfX.Contracts;

namespace MorfX.AutomationEngine.Data;

/// <summary>
/// A workspace's messaging settings, from config-api's WorkspaceMessagingChanged: the window a marketing automation without
/// its own sends in, and the per-recipient marketing frequency cap (null: off).
/// </summary>
public record WorkspaceMessaging(SendWindow MarketingWindow, MarketingFrequencyCap? FrequencyCap)
{
    /// <summary>A workspace that never saved its settings: 08:00–21:00 Monday to Saturday, no cap.</summary>
    public static readonly WorkspaceMessaging Default = new(SendWindow.MarketingDefault, null);
}
