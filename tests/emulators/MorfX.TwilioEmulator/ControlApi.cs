using System.Net;
using System.Text;

namespace MorfX.TwilioEmulator;

/// <summary>An account the emulator accepts; SendDelayMs makes every message creation of this account that much slower.</summary>
public sealed record AccountRegistration(string AccountSid, string AuthToken, int? SendDelayMs = null);

public sealed record FaultRequest(int? Status, int? Count, int? DelayMs);

public sealed record ChaosRequest(double Percent, int? SlowMs);

public sealed record PriceRequest(string? Sid, decimal Price);

public sealed record ScenarioRequest(string To, string? Kind, int? DelayMs, int? Status, int? Count, string? Callbacks, int? LookupsDownMs = null);

/// <summary>
/// An SMS a customer sends to an account's number: the emulator keeps it (fetchable, with its date_created) and posts it, signed,
/// to Url (webhook-ingest's inbound route); without Url it is only kept. DateCreated: when Twilio received it (now by default),
/// so a test can make a keyword reach MorfX after a newer one.
/// </summary>
public sealed record InboundRequest(string? Url, string AccountSid, string From, string To, string Body, string? OptOutType, DateTimeOffset? DateCreated = null);

/// <summary>A set of accounts (too many for a query string): what the count and the clean-up apply to.</summary>
public sealed record AccountSet(string[]? AccountSids);

public sealed record StatusRequest(string Status, int? ErrorCode, string? ErrorMessage);

/// <summary>What a test or a demo sees of a received message.</summary>
public sealed record ReceivedMessage(
    string Sid, string AccountSid, string To, string From, string Body, IReadOnlyList<string> MediaUrls, int Segments,
    string Status, int? ErrorCode, string? Price, string PriceUnit, string? StatusCallback, IReadOnlyList<string> CallbacksPosted,
    DateTimeOffset CreatedAt);

/// <summary>The emulator's own endpoints (never part of Twilio's API): accounts, faults, prices, inspection.</summary>
public static class ControlApi
{
    public static void MapControlApi(this IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/_emulator");
        control.MapPost("/accounts", (AccountRegistration account, EmulatorStore store) =>
        {
            if (string.IsNullOrWhiteSpace(account.AccountSid) || string.IsNullOrEmpty(account.AuthToken))
                return Results.BadRequest(new { error = "accountSid and authToken are required" });
            store.RegisterAccount(account.AccountSid, account.AuthToken, Math.Max(account.SendDelayMs ?? 0, 0));
            return Results.Ok(new { account.AccountSid });
        });

        control.MapPost("/faults", (FaultRequest fault, EmulatorStore store) =>
        {
            if (fault.Status is { } s && s is not (429 or 500 or 503))
                return Results.BadRequest(new { error = "status must be 429, 500 or 503" });
            store.SetFaults(new Faults(fault.Status, fault.Status is null ? 0 : fault.Count ?? 1, Math.Max(fault.DelayMs ?? 0, 0)));
            return Results.Ok(store.CurrentFaults());
        });
        control.MapDelete("/faults", (EmulatorStore store) =>
        {
            store.SetFaults(new Faults(null, 0, 0));
            return Results.NoContent();
        });

        control.MapPost("/chaos", (ChaosRequest request, EmulatorStore store) =>
        {
            if (request.Percent is < 0 or > 100) return Results.BadRequest(new { error = "percent must be between 0 and 100" });
            var chaos = new CreateChaos(request.Percent, Math.Max(request.SlowMs ?? 3000, 0));
            store.SetChaos(chaos);
            return Results.Ok(chaos);
        });
        control.MapDelete("/chaos", (EmulatorStore store) =>
        {
            store.SetChaos(null);
            return Results.NoContent();
        });

        control.MapPost("/scenarios", (ScenarioRequest request, EmulatorStore store) =>
        {
            if (string.IsNullOrEmpty(request.To)) return Results.BadRequest(new { error = "to is required" });
            if (request.Kind is { } kind && !Scenarios.Kinds.Contains(kind))
                return Results.BadRequest(new { error = $"kind must be one of {string.Join(", ", Scenarios.Kinds)}" });
            if (request.Callbacks is { } mode && !Scenarios.CallbackModes.Contains(mode))
                return Results.BadRequest(new { error = $"callbacks must be one of {string.Join(", ", Scenarios.CallbackModes)}" });
            var scenario = new Scenario(request.Kind ?? "", Math.Max(request.DelayMs ?? 0, 0), request.Status ?? 500, request.Count, request.Callbacks,
                Math.Max(request.LookupsDownMs ?? 0, 0));
            store.SetScenario(request.To, scenario);
            return Results.Ok(scenario);
        });

        control.MapPost("/inbound", async (InboundRequest request, EmulatorStore store, MessageLifecycle lifecycle, CancellationToken ct) =>
        {
            if (store.TokenOf(request.AccountSid) is null) return Results.NotFound(new { error = "unknown account" });
            // Advanced Opt-Out: Twilio itself blocks the number after a STOP, and refuses later sends with 21610.
            if (string.Equals(request.OptOutType, "STOP", StringComparison.OrdinalIgnoreCase))
                store.SetScenario(request.From, new Scenario(Scenarios.Unsubscribed, 0, 400, null, null, 0));
            var (sid, status) = await lifecycle.ReceiveInboundAsync(request, ct);
            return Results.Ok(new { sid, status });
        });

        control.MapPost("/prices", (PriceRequest request, EmulatorStore store) =>
        {
            var targets = request.Sid is { } sid
                ? store.FindBySid(sid) is { } one ? [one] : []
                : store.Messages(m => m.Price is null);
            if (request.Sid is not null && targets.Count == 0) return Results.NotFound(new { error = "unknown sid" });
            foreach (var message in targets) store.Update(message, m => m.Price = MessageLifecycle.FormatPrice(request.Price));
            return Results.Ok(new { priced = targets.Count });
        });

        // Drives a message's status by hand and posts its signed callback (e.g. out-of-order callbacks for webhook tests).
        control.MapPost("/messages/{sid}/status", async (string sid, StatusRequest request, EmulatorStore store, MessageLifecycle lifecycle, CancellationToken ct) =>
        {
            if (store.FindBySid(sid) is not { } message) return Results.NotFound(new { error = "unknown sid" });
            await lifecycle.ChangeStatusAsync(message, request.Status, request.ErrorCode, request.ErrorMessage, postCallback: true, ct);
            return Results.Ok(View(message, store));
        });

        // accountSid (repeatable) narrows the dump, the count and the clean-up to those accounts (a benchmark's own).
        control.MapGet("/messages", (string[]? accountSid, EmulatorStore store) => (accountSid is { Length: > 0 }
                ? accountSid.SelectMany(a => store.Messages(a, MessageFilter.None))
                : store.Messages())
            .Select(m => View(m, store)));
        control.MapGet("/messages/count", (string[]? accountSid, EmulatorStore store) => new { count = store.Count(accountSid ?? []) });
        control.MapPost("/messages/count", (AccountSet accounts, EmulatorStore store) => new { count = store.Count(accounts.AccountSids ?? []) });
        control.MapDelete("/messages", (string[]? accountSid, EmulatorStore store) =>
        {
            if (accountSid is { Length: > 0 }) store.Forget(accountSid);
            else store.Reset();
            return Results.NoContent();
        });
        control.MapPost("/messages/forget", (AccountSet accounts, EmulatorStore store) =>
            Results.Ok(new { forgotten = store.Forget(accounts.AccountSids ?? []) }));
        control.MapGet("/settings", (EmulatorOptions options) => options);
        control.MapGet("/calls", (EmulatorStore store) => store.Calls());

        app.MapGet("/", (EmulatorStore store) => Results.Content(Page(store.Messages().Select(m => View(m, store)).ToList()), "text/html; charset=utf-8"));
    }

    static ReceivedMessage View(EmulatedMessage message, EmulatorStore store) => store.Read(message, m => new ReceivedMessage(
        m.Sid, m.AccountSid, m.To, m.From, m.Body, m.MediaUrls, m.Segments, m.Status, m.ErrorCode, m.Price, TwilioApi.PriceUnit,
        m.StatusCallback, [.. m.CallbacksPosted], m.CreatedAt));

    static string Page(List<ReceivedMessage> messages)
    {
        var html = new StringBuilder("""
            <!doctype html><html lang="es"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
            <title>Twilio emulator</title>
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}</style>
            </head><body><h1>Twilio emulator: mensajes recibidos</h1>
            """);
        html.Append($"<p>{messages.Count} mensaje(s). Esta pagina se actualiza cada 5 s. JSON: <a href=\"/_emulator/messages\">/_emulator/messages</a></p>");
        html.Append("<table><tr><th>Fecha (UTC)</th><th>Sid</th><th>De</th><th>Para</th><th>Texto</th><th>Media</th><th>Segmentos</th><th>Estado</th><th>Precio</th></tr>");
        foreach (var m in messages.OrderByDescending(m => m.CreatedAt))
        {
            html.Append("<tr>")
                .Append($"<td>{m.CreatedAt:yyyy-MM-dd HH:mm:ss}</td><td>{E(m.Sid)}</td><td>{E(m.From)}</td><td>{E(m.To)}</td>")
                .Append($"<td>{E(m.Body)}</td><td>{string.Join("<br>", m.MediaUrls.Select(E))}</td><td>{m.Segments}</td>")
                .Append($"<td>{E(m.Status)}{(m.ErrorCode is { } c ? $" ({c})" : "")}</td><td>{E(m.Price ?? "-")} {m.PriceUnit}</td>")
                .Append("</tr>");
        }
        return html.Append("</table></body></html>").ToString();
    }

    static string E(string value) => WebUtility.HtmlEncode(value);
}
