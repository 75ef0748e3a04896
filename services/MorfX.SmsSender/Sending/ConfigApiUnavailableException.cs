namespace MorfX.SmsSender.Sending;

/// <summary>config-api's internal look-up did not answer (refused, timed out, 5xx): the workspace's credentials are unknown for now.</summary>
public sealed class ConfigApiUnavailableException(Exception inner)
    : Exception($"config-api's look-up is unavailable ({inner.GetType().Name})", inner);
