namespace MorfX.SmsSender.Tests;

/// <summary>A workspace with its own Twilio account at the emulator and its credentials stored in config-api.</summary>
public sealed record TestWorkspace(Guid Id, string AccountSid, string AuthToken, string From);
