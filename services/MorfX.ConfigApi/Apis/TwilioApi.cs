using System.Security.Claims;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.ConfigApi.Data;
using MorfX.ConfigApi.Integrations;
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
            .WithName("SaveTwilioIntegration").WithSummary("Saves Account SID, Auth Token (left out or masked: kept) and phone number")
            .WithRequestExample(RequestBodies.Twilio).ProducesProblems(ProblemCode.ValidationFailed, ConfigProblems.ConcurrentUpdate);
        api.MapDelete("", DeleteTwilio).RequireAuthorization(Policies.IntegrationsWrite)
            .WithName("DeleteTwilioIntegration").WithSummary("Removes the workspace's Twilio settings")
            .ProducesProblems(ConfigProblems.TwilioNotConfigured);
        api.MapPost("/test", SendTestSms).RequireAuthorization(Policies.IntegrationsWrite).RequireRateLimiting(TestSmsRateLimitPolicy)
            .WithName("TestTwilioIntegration").WithSummary("Connection test (\"Probar conexión\"): sends a test SMS through sms-sender")
            .WithRequestExample(RequestBodies.TestSms)
            .ProducesProblems([ProblemCode.ValidationFailed, ConfigProblems.TwilioNotConfigured, ConfigProblems.SmsSenderTimeout,
                ConfigProblems.SmsSenderFailed, ConfigProblems.SmsSenderUnavailable, .. TestFailures.Values.Select(f => f.Problem), ConfigProblems.TestFailed]);
        return api;
    }

    public static async Task<Ok<TwilioIntegrationResponse>> GetTwilio(
        ClaimsPrincipal user, TwilioConnection connection, SecretProtector secrets, CancellationToken ct)
    {
        var twilio = await connection.FindAsync(user.WorkspaceIdOf(), ct);
        return TypedResults.Ok(ToResponse(twilio, secrets));
    }

    public static async Task<Results<Ok<TwilioIntegrationResponse>, ProblemHttpResult>> SaveTwilio(
        TwilioSettingsRequest request, ClaimsPrincipal user, TwilioConnection connection, SecretProtector secrets, CancellationToken ct)
    {
        var (twilio, refusal) = await connection.SaveAsync(user.WorkspaceIdOf(), request, ct);
        return twilio is null ? refusal!.ToProblem() : TypedResults.Ok(ToResponse(twilio, secrets));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteTwilio(
        ClaimsPrincipal user, TwilioConnection connection, CancellationToken ct) =>
        await connection.RemoveAsync(user.WorkspaceIdOf(), ct) ? TypedResults.NoContent() : TwilioConnection.NotConfigured.ToProblem();

    public static async Task<Results<Ok<TestSmsResponse>, ProblemHttpResult>> SendTestSms(
        TestSmsRequest request, ClaimsPrincipal user, IRequestClient<SendTestSms> smsSender,
        TwilioConnection connection, ILoggerFactory logs, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        var logger = logs.CreateLogger(typeof(TwilioApi));
        var errors = IntegrationValidation.TestPhone(request.PhoneNumber, out var phone);
        if (errors.Count > 0) return Problems.Validation(errors);
        var twilio = await connection.FindAsync(workspaceId, ct);
        if (twilio is null) return TwilioConnection.NotConfigured.ToProblem();

        SendTestSmsResult result;
        try
        {
            var response = await smsSender.GetResponse<SendTestSmsResult>(new SendTestSms(workspaceId, phone), ct);
            result = response.Message;
        }
        catch (RequestTimeoutException)
        {
            LogTestTimedOut(logger, workspaceId);
            return ConfigProblems.SmsSenderTimeout.With(Texts.SmsSenderTimeout);
        }
        catch (RequestFaultException e)
        {
            LogTestFaulted(logger, e, workspaceId);
            return ConfigProblems.SmsSenderFailed.With(Texts.SmsSenderFailed);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogTestFaulted(logger, e, workspaceId);
            return ConfigProblems.SmsSenderUnavailable.With(Texts.SmsSenderUnreachable);
        }

        LogTestResult(logger, workspaceId, PhoneNumbers.Redact(phone), result.Succeeded, result.ErrorCode);
        if (!result.Succeeded || result.MessageSid is null) return TestFailure(result);

        await connection.ConfirmWorkingAsync(twilio, ct);
        return TypedResults.Ok(new TestSmsResponse(result.MessageSid));
    }

    /// <summary>sms-sender's failure codes, each with its problem and the Spanish detail shown when sms-sender sent none.</summary>
    static readonly Dictionary<string, (ProblemCode Problem, string Fallback)> TestFailures = new()
    {
        [SmsFailureCodes.TwilioAuthFailed] = (ConfigProblems.TestAuthFailed, Texts.TestAuthFailed),
        [SmsFailureCodes.TwilioNotConfigured] = (ConfigProblems.TestTwilioNotConfigured, Texts.TestTwilioNotConfigured),
        [SmsFailureCodes.InvalidPhone] = (ConfigProblems.TestInvalidPhone, Texts.TestInvalidPhone),
        [SmsFailureCodes.TwilioUnreachable] = (ConfigProblems.TestTwilioUnreachable, Texts.TestTwilioUnreachable),
        [SmsFailureCodes.ConfigUnavailable] = (ConfigProblems.TestConfigUnavailable, Texts.TestConfigUnavailable),
    };

    /// <summary>
    /// The result's problem, with a Spanish detail that says what to fix: sms-sender's own explanation (it knows Twilio's
    /// error number), or ours when it sent none. Any other refusal is twilio_error, so the operation's codes stay a closed set.
    /// </summary>
    static ProblemHttpResult TestFailure(SendTestSmsResult result)
    {
        var (problem, fallback) = TestFailures.GetValueOrDefault(result.ErrorCode ?? "", (ConfigProblems.TestFailed, Texts.TestFailed));
        return problem.With(result.ErrorMessage is { Length: > 0 } message ? message : fallback);
    }

    static TwilioIntegrationResponse ToResponse(TwilioIntegration? twilio, SecretProtector secrets) =>
        twilio is null
            ? new(false, null, null, null, null, null)
            : new(true, twilio.AccountSid, Secrets.Mask(secrets.Unprotect(twilio.WorkspaceId, twilio.AuthTokenProtected)),
                twilio.PhoneNumber, twilio.Status, twilio.UpdatedAt);

    [LoggerMessage(4003, LogLevel.Information, "Test SMS for workspace {WorkspaceId} to {PhoneNumber}: succeeded {Succeeded}, error {ErrorCode}")]
    static partial void LogTestResult(ILogger logger, Guid workspaceId, string phoneNumber, bool succeeded, string? errorCode);

    [LoggerMessage(4004, LogLevel.Warning, "Test SMS for workspace {WorkspaceId}: sms-sender did not answer in time")]
    static partial void LogTestTimedOut(ILogger logger, Guid workspaceId);

    [LoggerMessage(4005, LogLevel.Error, "Test SMS for workspace {WorkspaceId} failed before an answer")]
    static partial void LogTestFaulted(ILogger logger, Exception exception, Guid workspaceId);
}
