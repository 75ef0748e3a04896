namespace MorfX.WebhookIngest.Apis;

/// <summary>
/// What <see cref="TwilioWebhookRequests.VerifyAsync"/> made of a Twilio webhook: verified, refused with a problem, or — when
/// the workspace's auth token could not be read (config-api down) — <see cref="Unverifiable"/>: well formed, not yet checked.
/// </summary>
public sealed record TwilioWebhookCheck(VerifiedTwilioRequest? Request, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Problem,
    TwilioSignedRequest? Unverifiable = null);
