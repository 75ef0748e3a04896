using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.ConfigApi.Data;
using MorfX.Contracts;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Apis;

/// <summary>What the integration handlers need, bundled for [AsParameters].</summary>
public partial class IntegrationServices(ConfigDbContext db, SecretProtector secrets, IPublishEndpoint publish, ILogger<IntegrationServices> logger)
{
    public ConfigDbContext Db { get; } = db;
    public SecretProtector Secrets { get; } = secrets;
    public IPublishEndpoint Publish { get; } = publish;
    public ILogger<IntegrationServices> Logger { get; } = logger;

    /// <summary>
    /// Announces a committed change (no secrets in it). If the broker is down the change is saved but not announced:
    /// the caller answers 503 so the user saves again, which announces it then.
    /// </summary>
    public async Task<ProblemHttpResult?> AnnounceAsync(IntegrationChanged change, CancellationToken ct)
    {
        try
        {
            await Publish.Publish(change, ct);
            LogAnnounced(Logger, change.Integration, change.WorkspaceId, change.Status);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAnnounceFailed(Logger, e, change.Integration, change.WorkspaceId);
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "change_not_announced",
                "Los cambios se guardaron, pero no pudimos avisar a los demás servicios. Guarda de nuevo en unos segundos.");
        }
    }

    [LoggerMessage(3001, LogLevel.Information, "Announced {Integration} change for workspace {WorkspaceId}: {Status}")]
    static partial void LogAnnounced(ILogger logger, string integration, Guid workspaceId, string status);

    [LoggerMessage(3002, LogLevel.Error, "Could not announce {Integration} change for workspace {WorkspaceId}")]
    static partial void LogAnnounceFailed(ILogger logger, Exception exception, string integration, Guid workspaceId);
}
