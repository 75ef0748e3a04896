using System.Net.Http.Json;
using MorfX.AutomationEngine.Apis;
using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

/// <summary>The run history shows what became of each SMS: sms-sender's outcome lands on its send_sms step.</summary>
public class SmsOutcomeTests
{
    [Test]
    public async Task Twilio_refusal_fails_the_step_and_the_run_with_its_code_and_a_spanish_reason()
    {
        var (workspaceId, automation, sms) = await RequestedSmsAsync();

        await Bus.Publish(new SmsFailed(sms.RequestId, workspaceId, null, sms.To, sms.Body, 21211, "The 'To' number is not valid", automation.Id, DateTimeOffset.UtcNow));

        var step = await StepWhenAsync(workspaceId, automation.Id, s => s.Status == "failed");
        Assert.That((step.ErrorCode, step.Error), Is.EqualTo(("21211", "Twilio indica que el número de destino no es válido (error 21211).")));
        Assert.That(await RunStatusAsync(workspaceId, automation.Id), Is.EqualTo("failed"));
    }

    [Test]
    public async Task Opted_out_recipient_leaves_the_step_skipped_with_recipient_opted_out()
    {
        var (workspaceId, automation, sms) = await RequestedSmsAsync();

        await Bus.Publish(new SmsSkipped(sms.RequestId, workspaceId, sms.To, SmsSkipped.RecipientOptedOut, automation.Id, DateTimeOffset.UtcNow));

        var step = await StepWhenAsync(workspaceId, automation.Id, s => s.Status == "skipped");
        Assert.That(step.ErrorCode, Is.EqualTo("recipient_opted_out"));
        Assert.That(step.Error, Does.Contain("se dio de baja"));
        Assert.That(await RunStatusAsync(workspaceId, automation.Id), Is.EqualTo("succeeded"), "skipping an opted-out customer is not a failure");
    }

    [Test]
    public async Task An_sms_sms_sender_dropped_for_a_redacted_customer_ends_its_step_skipped_as_customer_redacted()
    {
        var (workspaceId, automation, sms) = await RequestedSmsAsync();

        await Bus.Publish(new SmsSkipped(sms.RequestId, workspaceId, SmsRecipientsRedacted.ErasedNumber, SmsSkipped.CustomerRedacted, automation.Id, DateTimeOffset.UtcNow));

        var step = await StepWhenAsync(workspaceId, automation.Id, s => s.Status == "skipped");
        Assert.That(step.ErrorCode, Is.EqualTo("customer_redacted"));
        Assert.That(step.Error, Does.Contain("eliminados").And.Not.Contain("baja"), "says the customer was erased, not that they unsubscribed");
    }

    [Test]
    public async Task Delivery_failure_reported_later_fails_the_step_with_its_code()
    {
        var (workspaceId, automation, sms) = await RequestedSmsAsync();

        await Bus.Publish(new SmsDeliveryFailed(sms.RequestId, workspaceId, "SM" + Guid.NewGuid().ToString("N"), "undelivered", 30006, DateTimeOffset.UtcNow));

        var step = await StepWhenAsync(workspaceId, automation.Id, s => s.Status == "failed");
        Assert.That((step.ErrorCode, step.Error), Is.EqualTo(("30006", "El número de destino es un teléfono fijo y no recibe SMS (error 30006).")));
    }

    async Task<(Guid WorkspaceId, AutomationDto Automation, SmsRequested Sms)> RequestedSmsAsync()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new
        {
            name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction("Hola {{cliente.nombre}}") },
        });
        await Bus.Publish(new ShopifyOrderCreated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId())));
        var sms = await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count > 0, because: "SmsRequested published");
        await StepWhenAsync(workspaceId, automation.Id, s => s.Status == "succeeded");
        return (workspaceId, automation, sms[0]);
    }

    static async Task<RunStepDto> StepWhenAsync(Guid workspaceId, Guid automationId, Func<RunStepDto, bool> done) =>
        await Eventually.Get(async () => (await RunAsync(workspaceId, automationId))?.Steps.SingleOrDefault(), s => s is not null && done(s),
            because: "the step's outcome") ?? throw new InvalidOperationException();

    static async Task<string?> RunStatusAsync(Guid workspaceId, Guid automationId) => (await RunAsync(workspaceId, automationId))?.Status;

    static async Task<RunDetail?> RunAsync(Guid workspaceId, Guid automationId)
    {
        using var client = Client(workspaceId);
        var runs = await client.GetFromJsonAsync<List<RunSummary>>($"/api/automations/{automationId}/runs");
        return runs is { Count: > 0 } ? await client.GetFromJsonAsync<RunDetail>($"/api/automations/{automationId}/runs/{runs[0].Id}") : null;
    }
}
