using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.Rules;

namespace MorfX.AutomationEngine.Automations;

// The CRM steps: contacts, orders, tags and tasks, each announced to the automations it may trigger (FanOutEvents).
public sealed partial class AutomationRunner
{
    async Task<AutomationRunStep> CreateContactAsync(StepRun s, ActionStep step, CancellationToken ct)
    {
        var phone = Render(s, step.Text("phone"));
        if (phone.Length > 0 && !PhoneNumbers.IsE164(phone))
            return Failed(s, AutomationValidator.Codes.InvalidPhone, Texts.PhoneInvalid(PhoneNumbers.Redact(phone)));
        var email = NullIfEmpty(Render(s, step.Text("email"))?.ToLowerInvariant());
        // One contact per phone and per email in a workspace: an existing one is the contact this step means.
        if (await FindByPhoneOrEmailAsync(s.Trigger.WorkspaceId, NullIfEmpty(phone), email, ct) is { } existing)
            return Succeeded(s, existing.Name, existing.Id);
        var now = DateTimeOffset.UtcNow;
        var contact = new Contact
        {
            Id = s.Id(), WorkspaceId = s.Trigger.WorkspaceId, Name = NullIfEmpty(Render(s, step.Text("name"))),
            Email = email, Phone = NullIfEmpty(phone),
            Source = Order.AutomationSource, CreatedAt = now, UpdatedAt = now,
        };
        db.Contacts.Add(contact);
        await fanOut.AddAsync(new CrmContactCreated(s.Id(":event"), s.Trigger.WorkspaceId, now, contact.ToMessage(), s.ChildDepth, s.Trigger.RootEventId) { Shopify = s.Trigger.Shopify }, ct);
        return Succeeded(s, contact.Name, contact.Id);
    }

    async Task<AutomationRunStep> UpdateContactAsync(StepRun s, ActionStep step, CancellationToken ct)
    {
        if (await FindContactAsync(s, step, ct) is not { } contact)
            return Failed(s, "contact_not_found", Texts.ContactToUpdateNotFound);
        var phone = Render(s, step.Text("phone"));
        if (phone.Length > 0 && !PhoneNumbers.IsE164(phone))
            return Failed(s, AutomationValidator.Codes.InvalidPhone, Texts.PhoneInvalid(PhoneNumbers.Redact(phone)));
        var email = NullIfEmpty(Render(s, step.Text("email")).ToLowerInvariant());
        if (await FindByPhoneOrEmailAsync(s.Trigger.WorkspaceId, NullIfEmpty(phone), email, ct) is { } other && other.Id != contact.Id)
            return Failed(s, "duplicate_contact", Texts.DuplicateContact);
        contact.Name = NullIfEmpty(Render(s, step.Text("name"))) ?? contact.Name;
        contact.Email = email ?? contact.Email;
        contact.Phone = NullIfEmpty(phone) ?? contact.Phone;
        contact.UpdatedAt = DateTimeOffset.UtcNow;
        return Succeeded(s, contact.Name, contact.Id);
    }

    async Task<AutomationRunStep> CreateOrderAsync(StepRun s, ActionStep step, CancellationToken ct)
    {
        var totalText = Render(s, step.Text("total"));
        if (!decimal.TryParse(totalText, NumberStyles.Number, CultureInfo.InvariantCulture, out var total))
            return Failed(s, AutomationValidator.Codes.InvalidNumber, Texts.TotalNotNumber(totalText));
        Contact? contact = null;
        if (Render(s, step.Text("contactId")).Length > 0 && (contact = await FindContactAsync(s, step, ct)) is null)
            return Failed(s, "contact_not_found", Texts.OrderContactNotFound);
        var now = DateTimeOffset.UtcNow;
        var order = new Order
        {
            Id = s.Id(), WorkspaceId = s.Trigger.WorkspaceId, ContactId = contact?.Id, Source = Order.AutomationSource,
            Number = NullIfEmpty(Render(s, step.Text("number"))), Total = total, Currency = NullIfEmpty(Render(s, step.Text("currency"))),
            CreatedAt = now, UpdatedAt = now,
        };
        db.Orders.Add(order);
        await fanOut.AddAsync(new CrmOrderCreated(s.Id(":event"), s.Trigger.WorkspaceId, now, order.ToMessage(), contact?.ToMessage(), s.ChildDepth, s.Trigger.RootEventId) { Shopify = s.Trigger.Shopify }, ct);
        return Succeeded(s, order.Number ?? order.Total?.ToString(CultureInfo.InvariantCulture), order.Id);
    }

    async Task<AutomationRunStep> AddTagAsync(StepRun s, ActionStep step, CancellationToken ct)
    {
        if (await FindContactAsync(s, step, ct) is not { } contact)
            return Failed(s, "contact_not_found", Texts.ContactNotFound);
        var tag = Render(s, step.Text("tag"));
        if (tag.Length == 0) return Failed(s, "empty_tag", Texts.TagEmpty);
        if (contact.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase)) return Succeeded(s, tag, contact.Id);

        contact.Tags = [.. contact.Tags, tag];
        contact.UpdatedAt = DateTimeOffset.UtcNow;
        await fanOut.AddAsync(new CrmTagAdded(s.Id(":event"), s.Trigger.WorkspaceId, contact.UpdatedAt, contact.ToMessage(), tag, s.ChildDepth, s.Trigger.RootEventId) { Shopify = s.Trigger.Shopify }, ct);
        return Succeeded(s, tag, contact.Id);
    }

    async Task<AutomationRunStep> CreateTaskAsync(StepRun s, ActionStep step, CancellationToken ct)
    {
        var title = Render(s, step.Text("title"));
        if (title.Length == 0) return Failed(s, "empty_title", Texts.TaskTitleEmpty);
        var dueText = Render(s, step.Text("dueInHours"));
        var now = DateTimeOffset.UtcNow;
        var task = new TaskItem
        {
            Id = s.Id(), WorkspaceId = s.Trigger.WorkspaceId, Title = title, Description = NullIfEmpty(Render(s, step.Text("description"))),
            ContactId = Guid.TryParse(Render(s, step.Text("contactId")), out var contactId) ? contactId : null,
            DueAt = double.TryParse(dueText, NumberStyles.Number, CultureInfo.InvariantCulture, out var hours) ? now.AddHours(hours) : null,
            CreatedAt = now,
        };
        db.Tasks.Add(task);
        await fanOut.AddAsync(new TaskCreated(s.Id(":event"), s.Trigger.WorkspaceId, now, task.ToMessage(), s.ChildDepth, s.Trigger.RootEventId) { Shopify = s.Trigger.Shopify }, ct);
        return Succeeded(s, title, task.Id);
    }

    async Task<Contact?> FindContactAsync(StepRun s, ActionStep step, CancellationToken ct) =>
        Guid.TryParse(Render(s, step.Text("contactId")), out var id) && await db.Contacts.FindAsync([id], ct) is { } c
            && c.WorkspaceId == s.Trigger.WorkspaceId ? c : null;

    async Task<Contact?> FindByPhoneOrEmailAsync(Guid workspaceId, string? phone, string? email, CancellationToken ct) =>
        phone is null && email is null ? null
        : await db.Contacts.FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId && ((phone != null && c.Phone == phone) || (email != null && c.Email == email)), ct);

    static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
