namespace MorfX.ConfigApiClient;

/// <summary>
/// One page of config-api's change feed (GET /internal/integration-changes?after=N): the changes after N in order, and the
/// feed's head. <see cref="StartOver"/> when N cannot be continued from (a first read, a reader further behind than the
/// feed keeps, a database restored behind it): the reader drops everything it cached and continues from <see cref="Head"/>.
/// </summary>
public sealed record IntegrationChangePage(long Head, bool StartOver, IReadOnlyList<IntegrationChangeEntry> Changes);

/// <summary>A changed integration: what a cache must drop (the workspace's answers, and the shop domain, found or missed).</summary>
public sealed record IntegrationChangeEntry(long Seq, Guid WorkspaceId, string Integration, string? ShopDomain);

/// <summary>
/// Every key config-api holds (GET /internal/integration-keys): the connected shops' domains (and removed ones still kept for
/// their compliance webhooks) and the workspaces with Twilio. What anonymous look-ups may ask about (<see cref="IntegrationLookup"/>).
/// </summary>
public sealed record IntegrationKeys(IReadOnlyList<string> ShopDomains, IReadOnlyList<Guid> TwilioWorkspaces);
