using System.Net.Http.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.AutomationEngine;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.AutomationEngine.Tests;

/// <summary>
/// What the engine tests talk to, started once per run by <see cref="TestRun"/>: the automation engine on real PostgreSQL and
/// RabbitMQ (with the LLM emulator for the builder), and a bus observer that publishes what the other services would
/// (trigger events, IntegrationChanged) and records what the engine publishes. Tests say <c>using static EngineFixture;</c>.
/// </summary>
public static class EngineFixture
{
    public static RunningService Engine { get; private set; } = null!;
    public static RunningService Llm { get; private set; } = null!;
    public static BusObserver Events { get; private set; } = null!;

    /// <summary>Publishes as another service would.</summary>
    public static IBus Bus => Events.Bus;

    /// <summary>Every message the engine publishes (SMS and WhatsApp requests, CRM events, redactions, data reports).</summary>
    public static IReadOnlyList<object> Published => Events.Messages;

    public static async Task StartAsync()
    {
        Llm = await RunningService.StartAsync(LlmEmulator.LlmEmulatorApp.Build, new Dictionary<string, string?>());
        var settings = TestInfrastructure.ServiceSettings(ResourceNames.EngineDb);
        settings["Llm:Endpoint"] = new Uri(Llm.BaseAddress, "/v1").ToString();
        settings["Llm:Model"] = "morfx-test-model";
        settings["Llm:ApiKey"] = "test-key";
        // Low enough for a test to reach it; each builder test works in its own workspace.
        settings["Limits:BuilderRequestsPerHour"] = "5";
        settings["Limits:MaxWaitingRunsPerWorkspace"] = "3";
        Engine = await RunningService.StartAsync(MorfX.AutomationEngine.Program.Build, settings);
        Assert.That(await Engine.WaitHealthyAsync(), Is.EqualTo("Healthy"));
        Events = await BusObserver.StartAsync("automation-engine-tests-observer", (e, record) =>
        {
            e.Handler<SmsRequested>(c => record(c.Message));
            e.Handler<SendWhatsAppRequested>(c => record(c.Message));
            e.Handler<CrmContactCreated>(c => record(c.Message));
            e.Handler<SmsRecipientsRedacted>(c => record(c.Message));
            e.Handler<CustomerDataReported>(c => record(c.Message));
            e.Handler<CustomerSmsDataRequested>(c => record(c.Message));
            e.Handler<AutomationStopped>(c => record(c.Message));
        });
    }

    public static async Task StopAsync()
    {
        if (Events is not null) await Events.DisposeAsync();
        if (Engine is not null) await Engine.DisposeAsync();
        if (Llm is not null) await Llm.DisposeAsync();
    }

    public static List<SmsRequested> SmsFor(Guid workspaceId) => [.. Events.All<SmsRequested>(s => s.WorkspaceId == workspaceId)];

    public static List<SendWhatsAppRequested> WhatsAppFor(Guid workspaceId) => [.. Events.All<SendWhatsAppRequested>(s => s.WorkspaceId == workspaceId)];

    public static HttpClient Client(Guid workspaceId, string role = Roles.Owner) => Engine.CreateClient(Tokens.For(workspaceId, role));

    public static async Task<T> QueryAsync<T>(Func<EngineDbContext, Task<T>> query)
    {
        using var scope = Engine.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<EngineDbContext>());
    }

    /// <summary>Announces an integration as config-api does, and waits until the engine's projection has it.</summary>
    public static async Task SetIntegrationAsync(Guid workspaceId, string integration, string status, bool? autoSync = null)
    {
        var changedAt = DateTimeOffset.UtcNow;
        await Bus.Publish(new IntegrationChanged(workspaceId, integration, status,
            integration == IntegrationKinds.Shopify ? "tienda.myshopify.com" : null, autoSync, changedAt));
        await Eventually.Get(() => QueryAsync(db => db.IntegrationStates.AnyAsync(s =>
            s.WorkspaceId == workspaceId && s.Integration == integration && s.ChangedAt == changedAt)), found => found, because: "integration projected");
    }

    public static async Task<Guid> NewWorkspaceAsync(bool twilio = true, bool shopify = true, bool autoSync = true)
    {
        var workspaceId = Guid.NewGuid();
        if (twilio) await SetIntegrationAsync(workspaceId, IntegrationKinds.Twilio, IntegrationStatuses.Active);
        if (shopify) await SetIntegrationAsync(workspaceId, IntegrationKinds.Shopify, IntegrationStatuses.Active, autoSync);
        return workspaceId;
    }

    public static async Task<AutomationDto> CreateAutomationAsync(Guid workspaceId, object draft)
    {
        using var client = Client(workspaceId);
        var response = await client.PostAsJsonAsync("/api/automations", draft);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<AutomationDto>(AutomationJson.Options))!;
    }

    public static object SmsAction(string body, string to = "{{cliente.telefono}}") =>
        new { type = "send_sms", config = new Dictionary<string, object> { ["to"] = to, ["body"] = body } };

    /// <summary>Waits until the engine has handled the event (its processed mark commits with the runs it caused).</summary>
    public static Task WaitHandledAsync(Guid eventId) =>
        Eventually.Get(() => QueryAsync(db => db.ProcessedEvents.AnyAsync(p => p.EventId == eventId)), done => done, because: $"event {eventId} handled");

    public static ShopifyOrder Order(long id, string financialStatus = "paid", decimal total = 59.90m,
        DateTimeOffset? updatedAt = null, string? phone = "+573001112233", string email = "ana@example.com")
    {
        var now = DateTimeOffset.UtcNow;
        return new ShopifyOrder("tienda.myshopify.com", id, "#1001", 1001, email, phone, total, "COP", financialStatus, null,
            new ShopifyCustomer(77, email, "Ana", "Pérez", phone),
            [new ShopifyLineItem(1, "CAM-1", "Camiseta", "M", 2, 20m), new ShopifyLineItem(2, "GOR-2", "Gorra", null, 1, 19.90m)],
            new ShopifyAddress("Ana Pérez", "Calle 10 # 5-20", null, "Bogotá", "Cundinamarca", "110111", "Colombia", phone),
            ["vip"], "Entregar en la tarde", now, updatedAt ?? now, null, null, null, "{}");
    }

    public static long NewOrderId() => Random.Shared.NextInt64(1_000_000, long.MaxValue);
}
