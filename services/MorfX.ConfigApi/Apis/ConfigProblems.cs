using MorfX.Contracts;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Apis;

/// <summary>
/// Every problem config-api's public operations answer besides the shared ones (<see cref="ProblemCode"/>): handlers answer with
/// these and endpoints declare them, so the OpenAPI document cannot drift from the code. Spanish details are in Texts.
/// </summary>
public static class ConfigProblems
{
    public static readonly ProblemCode TwilioNotConfigured = new(StatusCodes.Status404NotFound, SmsFailureCodes.TwilioNotConfigured);
    public static readonly ProblemCode ShopifyNotConfigured = new(StatusCodes.Status404NotFound, "shopify_not_configured");
    public static readonly ProblemCode OptOutNotFound = new(StatusCodes.Status404NotFound, "opt_out_not_found");
    public static readonly ProblemCode ConcurrentUpdate = new(StatusCodes.Status409Conflict, "concurrent_update");
    public static readonly ProblemCode ShopDomainTaken = new(StatusCodes.Status409Conflict, "shop_domain_taken");
    public static readonly ProblemCode ShopifyNotActive = new(StatusCodes.Status409Conflict, "shopify_not_active");

    // Saving a shop: Shopify did not confirm the token is the shop's (422), or could not answer (502).
    public static readonly ProblemCode ShopOwnershipNotConfirmed = new(StatusCodes.Status422UnprocessableEntity, "shop_ownership_not_confirmed");
    public static readonly ProblemCode ShopifyShopNotFound = new(StatusCodes.Status422UnprocessableEntity, "shopify_shop_not_found");
    public static readonly ProblemCode ShopifyShopUnavailable = new(StatusCodes.Status422UnprocessableEntity, "shopify_shop_unavailable");
    public static readonly ProblemCode ShopifyThrottled = new(StatusCodes.Status502BadGateway, "shopify_throttled");
    public static readonly ProblemCode ShopifyUnavailable = new(StatusCodes.Status502BadGateway, "shopify_unavailable");
    public static readonly ProblemCode ShopifyError = new(StatusCodes.Status502BadGateway, "shopify_error");
    public static readonly ProblemCode ShopifyUnreachable = new(StatusCodes.Status502BadGateway, "shopify_unreachable");

    // "Probar conexión": sms-sender could not answer, or answered why the test SMS was not sent.
    public static readonly ProblemCode SmsSenderTimeout = new(StatusCodes.Status504GatewayTimeout, "sms_sender_timeout");
    public static readonly ProblemCode SmsSenderFailed = new(StatusCodes.Status502BadGateway, "sms_sender_failed");
    public static readonly ProblemCode SmsSenderUnavailable = new(StatusCodes.Status503ServiceUnavailable, "sms_sender_unavailable");
    public static readonly ProblemCode TestAuthFailed = new(StatusCodes.Status422UnprocessableEntity, SmsFailureCodes.TwilioAuthFailed);
    public static readonly ProblemCode TestTwilioNotConfigured = new(StatusCodes.Status409Conflict, SmsFailureCodes.TwilioNotConfigured);
    public static readonly ProblemCode TestInvalidPhone = new(StatusCodes.Status400BadRequest, SmsFailureCodes.InvalidPhone);
    public static readonly ProblemCode TestTwilioUnreachable = new(StatusCodes.Status502BadGateway, SmsFailureCodes.TwilioUnreachable);
    public static readonly ProblemCode TestConfigUnavailable = new(StatusCodes.Status503ServiceUnavailable, SmsFailureCodes.ConfigUnavailable);
    public static readonly ProblemCode TestFailed = new(StatusCodes.Status422UnprocessableEntity, SmsFailureCodes.TwilioError);

    /// <summary>What saving a shop answers when Shopify does not confirm the token (ShopifyAdminClient.ConfirmOwnershipAsync).</summary>
    public static readonly ProblemCode[] OwnershipRefusals =
    [
        ShopOwnershipNotConfirmed, ShopifyShopNotFound, ShopifyShopUnavailable, ShopifyThrottled, ShopifyUnavailable, ShopifyError,
        ShopifyUnreachable,
    ];
}
