using MorfX.Contracts;

namespace MorfX.ConfigApi.Messaging;

/// <summary>
/// A workspace's messaging settings, as GET and PUT /api/settings/messaging answer them and WorkspaceMessagingChanged
/// announces them: the marketing window automations without their own use, and the per-recipient marketing cap (null: off).
/// </summary>
public record MessagingSettings(SendWindow MarketingWindow, MarketingFrequencyCap? MarketingFrequencyCap)
{
    /// <summary>A workspace that never saved: 08:00–21:00 Monday to Saturday, no cap.</summary>
    public static readonly MessagingSettings Default = new(SendWindow.MarketingDefault, null);
}
