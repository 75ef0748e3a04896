using System.Security.Claims;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.ConfigApi.Data;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Apis;

/// <summary>The workspace's Twilio account: save, read (token masked), remove, and "Probar conexión".</summary>
public static partial class TwilioApi
{
    public const string TestSmsRateLimitPolicy = "twilio-test-sms";

    public static RouteGroupBuilder MapTwilioApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/integrations/twilio").WithTags("Twilio");
        api.MapGet("", GetTwilio).RequireAuthorization(Policies.WorkspaceRead)
            .WithName("GetTwilioIntegration").WithSummary("The workspace's Twilio settings, auth token masked");
        api.MapPut("", SaveTwilio).RequireAuthorization(Policies.IntegrationsWrite)
            .WithName("SaveTwilioIntegration").WithSummary("Saves Account SID, Auth Token (left out or masked: kept) and phone number");
        api.MapDelete("", DeleteTwilio).RequireAuthorization(Policies.IntegrationsWrite)
            .WithName("DeleteTwilioIntegration").WithSummary("Removes the workspace's Twilio settings");
        api.MapPost("/test", SendTestSms).RequireAuthorization(Policies.IntegrationsWrite).RequireRateLimiting(TestSmsRateLimitPolicy)
            .WithName("TestTwilioIntegration").WithSummary("Probar conexión: sends a test SMS through sms-sender");
        return api;
    }

    public static async Task<Ok<TwilioIntegrationResponse>> GetTwilio(
        ClaimsPrincipal user, [AsParameters] IntegrationServices services, CancellationToken ct)
    {
        var twilio = await services.Db.TwilioIntegrations.FindAsync([user.WorkspaceIdOf()], ct);
        return TypedResults.Ok(ToResponse(twilio, services.Secrets));
    }

    public static async Task<Results<Ok<TwilioIntegrationResponse>, ProblemHttpResult>> SaveTwilio(
        TwilioSettingsRequest request, ClaimsPrincipal user, [AsParameters] IntegrationServices services, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        var twilio = await services.Db.TwilioIntegrations.FindAsync([workspaceId], ct);
        var (input, errors) = IntegrationValidation.Twilio(request, hasStoredToken: twilio is not null);
        if (input is null) return Problems.Validation(errors);

        var now = DateTimeOffset.UtcNow;
        var credentialsChanged = twilio is null || twilio.AccountSid != input.AccountSid
            || (input.AuthToken is not null && input.AuthToken != services.Secrets.Unprotect(workspaceId, twilio.AuthTokenProtected));
        if (twilio is null)
        {
            twilio = new TwilioIntegration
            {
                WorkspaceId = workspaceId, AccountSid = input.AccountSid, PhoneNumber = input.PhoneNumber,
                AuthTokenProtected = services.Secrets.Protect(workspaceId, input.AuthToken!),
                Status = IntegrationStatuses.Active, CreatedAt = now,
            };
            services.Db.TwilioIntegrations.Add(twilio);
        }
        twilio.AccountSid = input.AccountSid;
        twilio.PhoneNumber = input.PhoneNumber;
        if (input.AuthToken is not null) twilio.AuthTokenProtected = services.Secrets.Protect(workspaceId, input.AuthToken);
        // New credentials get a fresh chance; a number change alone does not make rejected credentials work.
        if (credentialsChanged) twilio.Status = IntegrationStatuses.Active;
        twilio.UpdatedAt = now;
        services.Announce(new IntegrationChanged(workspaceId, IntegrationKinds.Twilio, twilio.Status, null, null, now));
        if (await SaveAsync(services.Db, ct) is { } conflict) return conflict;
        LogSaved(services.Logger, workspaceId, PhoneNumbers.Redact(twilio.PhoneNumber), input.AuthToken is not null);
        await services.PublishAsync(ct);
        return TypedResults.Ok(ToResponse(twilio, services.Secrets));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteTwilio(
        ClaimsPrincipal user, [AsParameters] IntegrationServices services, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        var twilio = await services.Db.TwilioIntegrations.FindAsync([workspaceId], ct);
        if (twilio is null) return NotConfigured();
        services.Db.TwilioIntegrations.Remove(twilio);
        services.Announce(new IntegrationChanged(workspaceId, IntegrationKinds.Twilio, IntegrationStatuses.Removed, null, null, DateTimeOffset.UtcNow));
        await services.Db.SaveChangesAsync(ct);
        LogRemoved(services.Logger, workspaceId);
        await services.PublishAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<TestSmsResponse>, ProblemHttpResult>> SendTestSms(
        TestSmsRequest request, ClaimsPrincipal user, IRequestClient<SendTestSms> smsSender,
        [AsParameters] IntegrationServices services, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        var errors = IntegrationValidation.TestPhone(request.PhoneNumber, out var phone);
        if (errors.Count > 0) return Problems.Validation(errors);
        var twilio = await services.Db.TwilioIntegrations.FindAsync([workspaceId], ct);
        if (twilio is null) return NotConfigured();

        SendTestSmsResult result;
        try
        {
            var response = await smsSender.GetResponse<SendTestSmsResult>(new SendTestSms(workspaceId, phone), ct);
            result = response.Message;
        }
        catch (RequestTimeoutException)
        {
            LogTestTimedOut(services.Logger, workspaceId);
            return Problems.Of(StatusCodes.Status504GatewayTimeout, "sms_sender_timeout",
                "El servicio de envío de SMS no respondió a tiempo. Intenta de nuevo en unos minutos.");
        }
        catch (RequestFaultException e)
        {
            LogTestFaulted(services.Logger, e, workspaceId);
            return Problems.Of(StatusCodes.Status502BadGateway, "sms_sender_failed",
                "El servicio de envío de SMS falló al procesar la prueba. Intenta de nuevo en unos minutos.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogTestFaulted(services.Logger, e, workspaceId);
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "sms_sender_unavailable",
                "No pudimos contactar el servicio de envío de SMS. Intenta de nuevo en unos segundos.");
        }

        LogTestResult(services.Logger, workspaceId, PhoneNumbers.Redact(phone), result.Succeeded, result.ErrorCode);
        if (!result.Succeeded || result.MessageSid is null) return TestFailure(result);

        // A test SMS that went out proves the credentials work again.
        if (twilio.Status == IntegrationStatuses.Failing)
        {
            twilio.Status = IntegrationStatuses.Active;
            twilio.UpdatedAt = DateTimeOffset.UtcNow;
            services.Announce(new IntegrationChanged(workspaceId, IntegrationKinds.Twilio, twilio.Status, null, null, twilio.UpdatedAt));
            await services.Db.SaveChangesAsync(ct);
            await services.PublishAsync(ct);
        }
        return TypedResults.Ok(new TestSmsResponse(result.MessageSid));
    }

    /// <summary>
    /// The result's code, with a Spanish detail that says what to fix: sms-sender's own explanation (it knows Twilio's
    /// error number), or ours when it sent none.
    /// </summary>
    static ProblemHttpResult TestFailure(SendTestSmsResult result)
    {
        var code = result.ErrorCode ?? SmsFailureCodes.TwilioError;
        var (status, fallback) = code switch
        {
            SmsFailureCodes.TwilioAuthFailed => (StatusCodes.Status422UnprocessableEntity,
                "Twilio rechazó el Account SID o el Auth Token. Cópialos de nuevo desde la consola de Twilio y guarda la configuración."),
            SmsFailureCodes.TwilioNotConfigured => (StatusCodes.Status409Conflict,
                "Configura primero la integración de Twilio: Account SID, Auth Token y número."),
            SmsFailureCodes.InvalidPhone => (StatusCodes.Status400BadRequest,
                "Twilio no acepta ese número de destino. Usa un celular válido en formato E.164, por ejemplo +573001234567."),
            SmsFailureCodes.TwilioUnreachable => (StatusCodes.Status502BadGateway,
                "No pudimos comunicarnos con Twilio. Intenta de nuevo en unos minutos."),
            SmsFailureCodes.ConfigUnavailable => (StatusCodes.Status503ServiceUnavailable,
                "No fue posible leer la configuración de Twilio en este momento. Intenta de nuevo en unos minutos."),
            _ => (StatusCodes.Status422UnprocessableEntity,
                "Twilio no pudo enviar el SMS de prueba. Revisa el número de Twilio configurado y los permisos de tu cuenta."),
        };
        return Problems.Of(status, code, result.ErrorMessage is { Length: > 0 } message ? message : fallback);
    }

    static ProblemHttpResult NotConfigured() =>
        Problems.Of(StatusCodes.Status404NotFound, "twilio_not_configured",
            "Este espacio de trabajo no tiene Twilio configurado. Ingresa el Account SID, el Auth Token y el número.");

    /// <summary>Two first saves racing for the same workspace: the second is told to retry.</summary>
    static async Task<ProblemHttpResult?> SaveAsync(ConfigDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            return Problems.Of(StatusCodes.Status409Conflict, "concurrent_update", "Otra persona guardó esta configuración al mismo tiempo; recarga la página y guarda de nuevo.");
        }
    }

    static TwilioIntegrationResponse ToResponse(TwilioIntegration? twilio, SecretProtector secrets) =>
        twilio is null
            ? new(false, null, null, null, null, null)
            : new(true, twilio.AccountSid, Secrets.Mask(secrets.Unprotect(twilio.WorkspaceId, twilio.AuthTokenProtected)),
                twilio.PhoneNumber, twilio.Status, twilio.UpdatedAt);

    [LoggerMessage(4001, LogLevel.Information, "Saved Twilio settings for workspace {WorkspaceId} (from {PhoneNumber}, new token: {TokenChanged})")]
    static partial void LogSaved(ILogger logger, Guid workspaceId, string phoneNumber, bool tokenChanged);

    [LoggerMessage(4002, LogLevel.Information, "Removed Twilio settings of workspace {WorkspaceId}")]
    static partial void LogRemoved(ILogger logger, Guid workspaceId);

    [LoggerMessage(4003, LogLevel.Information, "Test SMS for workspace {WorkspaceId} to {PhoneNumber}: succeeded {Succeeded}, error {ErrorCode}")]
    static partial void LogTestResult(ILogger logger, Guid workspaceId, string phoneNumber, bool succeeded, string? errorCode);

    [LoggerMessage(4004, LogLevel.Warning, "Test SMS for workspace {WorkspaceId}: sms-sender did not answer in time")]
    static partial void LogTestTimedOut(ILogger logger, Guid workspaceId);

    [LoggerMessage(4005, LogLevel.Error, "Test SMS for workspace {WorkspaceId} failed before an answer")]
    static partial void LogTestFaulted(ILogger logger, Exception exception, Guid workspaceId);
}
