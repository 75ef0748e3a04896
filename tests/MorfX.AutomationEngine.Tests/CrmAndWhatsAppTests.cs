using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

public class CrmAndWhatsAppTests
{
    [Test]
    public async Task A_whatsapp_message_creates_a_task_whose_own_trigger_sends_an_sms_and_the_reply_goes_to_whatsapp()
    {
        var workspaceId = await NewWorkspaceAsync(shopify: false);
        await CreateAutomationAsync(workspaceId, new
        {
            name = "Atender WhatsApp", trigger = TriggerNames.WhatsAppMessageReceived,
            conditions = new[] { new { field = "mensaje.texto", @operator = "contains", value = "envíos" } },
            actions = new object[]
            {
                new { type = "create_task", config = new Dictionary<string, object> { ["title"] = "Responder a {{contacto.nombre}}", ["description"] = "{{mensaje.texto}}", ["dueInHours"] = "2" } },
                new { type = "send_whatsapp", config = new Dictionary<string, object> { ["to"] = "{{mensaje.de}}", ["body"] = "Hola {{contacto.nombre}}, ya te respondemos." } },
            },
        });
        await CreateAutomationAsync(workspaceId, new
        {
            name = "Aviso de tarea", trigger = TriggerNames.TaskCreated,
            actions = new[] { SmsAction("Nueva tarea: {{tarea.titulo}}", "+573009998877") },
        });
        var message = new WhatsAppMessageReceived(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, "+573001112233", "Luis", "¿Hacen envíos a Cali?");

        await Bus.Publish(message);

        var sms = await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count > 0, because: "SMS from the task.created automation");
        Assert.That((sms.Single().To, sms.Single().Body), Is.EqualTo(("+573009998877", "Nueva tarea: Responder a Luis")));
        var whatsApp = await Eventually.Get(() => Task.FromResult(WhatsAppFor(workspaceId)), l => l.Count > 0, because: "WhatsApp request");
        Assert.That((whatsApp.Single().To, whatsApp.Single().Body), Is.EqualTo(("+573001112233", "Hola Luis, ya te respondemos.")));
        var task = await QueryAsync(db => db.Tasks.SingleAsync(t => t.WorkspaceId == workspaceId));
        Assert.That((task.Title, task.Description, task.DueAt.HasValue), Is.EqualTo(("Responder a Luis", (string?)"¿Hacen envíos a Cali?", true)));
    }
}
