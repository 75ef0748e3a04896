using System.Net.Sockets;
using MorfX.ConfigApiClient;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace MorfX.SmsSender.Twilio;

/// <summary>
/// The Twilio calls MorfX makes — create, fetch, list messages — through the official SDK, each with the workspace's own
/// client (<see cref="TwilioRestClients"/>). SDK errors surface as <see cref="TwilioApiException"/> (Twilio answered) or
/// <see cref="TwilioConnectionException"/> (no answer); the caller decides what is ambiguous.
/// </summary>
public sealed class TwilioMessagesClient(TwilioRestClients clients)
{
    public Task<TwilioMessage> CreateMessageAsync(
        TwilioCredentials credentials, string to, string from, string body, IReadOnlyList<string> mediaUrls, string statusCallback, CancellationToken ct)
    {
        var options = new CreateMessageOptions(new PhoneNumber(to))
        {
            From = new PhoneNumber(from),
            StatusCallback = new Uri(statusCallback),
        };
        if (body.Length > 0) options.Body = body;
        if (mediaUrls.Count > 0) options.MediaUrl = [.. mediaUrls.Select(u => new Uri(u))];
        return CallAsync(ct, async () => ToMessage(await MessageResource.CreateAsync(options, clients.For(credentials))));
    }

    public Task<TwilioMessage> FetchMessageAsync(TwilioCredentials credentials, string sid, CancellationToken ct) =>
        CallAsync(ct, async () => ToMessage(await MessageResource.FetchAsync(new FetchMessageOptions(sid), clients.For(credentials))));

    /// <summary>The newest messages from one number to another (Twilio's To and From filters), up to <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<TwilioMessage>> ListMessagesAsync(
        TwilioCredentials credentials, string to, string from, int pageSize, int limit, CancellationToken ct) =>
        CallAsync<IReadOnlyList<TwilioMessage>>(ct, async () =>
        {
            var options = new ReadMessageOptions { To = new PhoneNumber(to), From = new PhoneNumber(from), PageSize = pageSize, Limit = limit };
            return [.. (await MessageResource.ReadAsync(options, clients.For(credentials))).Select(ToMessage)];
        });

    /// <summary>The account's messages from one number sent in a time range (Twilio's DateSent&gt; and DateSent&lt; filters), up to <paramref name="limit"/>: the price reconciler's batch.</summary>
    public Task<IReadOnlyList<TwilioMessage>> ListSentBetweenAsync(
        TwilioCredentials credentials, string from, DateTimeOffset after, DateTimeOffset before, int pageSize, int limit, CancellationToken ct) =>
        CallAsync<IReadOnlyList<TwilioMessage>>(ct, async () =>
        {
            var options = new ReadMessageOptions
            {
                From = new PhoneNumber(from), DateSentAfter = after.UtcDateTime, DateSentBefore = before.UtcDateTime, PageSize = pageSize, Limit = limit,
            };
            return [.. (await MessageResource.ReadAsync(options, clients.For(credentials))).Select(ToMessage)];
        });

    static async Task<T> CallAsync<T>(CancellationToken ct, Func<Task<T>> call)
    {
        try
        {
            return await TwilioCall.WithCancellation(ct, call);
        }
        catch (ApiException e)
        {
            throw new TwilioApiException(e.Status, e.Code == 0 ? null : e.Code, e.Message);
        }
        catch (ApiConnectionException e) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("The Twilio call was cancelled", e, ct);
        }
        catch (ApiConnectionException e)
        {
            throw new TwilioConnectionException(IsRefused(e.InnerException), e.InnerException ?? e);
        }
    }

    /// <summary>A refused connection: the request never left, so Twilio cannot have acted on it.</summary>
    internal static bool IsRefused(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused }) return true;
        return false;
    }

    static TwilioMessage ToMessage(MessageResource m) => new(
        m.Sid, m.Status?.ToString() ?? "queued", m.To, m.From?.ToString(), m.Body,
        int.TryParse(m.NumMedia, out var media) ? media : 0,
        decimal.TryParse(m.Price, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var price) ? price : null,
        m.PriceUnit, m.ErrorCode,
        m.DateCreated is { } created ? new DateTimeOffset(Utc(created)) : null);

    /// <summary>The SDK parses Twilio's RFC 2822 dates with DateTime.Parse, which yields local time.</summary>
    static DateTime Utc(DateTime at) => at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : DateTime.SpecifyKind(at, DateTimeKind.Utc);
}
