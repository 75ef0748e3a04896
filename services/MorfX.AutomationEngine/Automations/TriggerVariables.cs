using System.Globalization;
using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Automations;

/// <summary>Builds a trigger event's template data under the catalog's Spanish paths (leaves are text, as rendered).</summary>
public static class TriggerVariables
{
    static string? Money(decimal? value) => value?.ToString("0.00", CultureInfo.InvariantCulture);
    static string? Date(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    static string? Join(params string?[] parts) => parts.Any(p => !string.IsNullOrWhiteSpace(p))
        ? string.Join(", ", parts.Where(p => !string.IsNullOrWhiteSpace(p))) : null;

    public static string? CustomerName(ShopifyOrder o) =>
        Join(o.Customer?.FirstName, o.Customer?.LastName)?.Replace(", ", " ") ?? o.ShippingAddress?.Name;
    /// <summary>Who to text: the customer's phone, else the order's, else the shipping, billing or default-address phone.</summary>
    public static string? CustomerPhone(ShopifyOrder o) =>
        o.Customer?.Phone ?? o.Phone ?? o.ShippingAddress?.Phone ?? o.BillingAddress?.Phone ?? o.Customer?.DefaultAddress?.Phone;
    public static string? CustomerEmail(ShopifyOrder o) => o.Customer?.Email ?? o.Email;

    /// <summary>
    /// The shipment an SMS speaks of: the most recently changed fulfillment that was not cancelled or failed (its tracking
    /// number no longer tells where the parcel is), preferring one with a tracking number.
    /// </summary>
    public static ShopifyFulfillment? LatestShipment(ShopifyOrder o) => o.Fulfillments
        .Where(f => f.Status is not ("cancelled" or "error" or "failure"))
        .OrderBy(f => f.TrackingNumber is not null)
        .ThenBy(f => f.UpdatedAt ?? f.CreatedAt)
        .LastOrDefault();

    /// <summary>"si" or "no": Spanish, like everything the merchant reads, and without an accent so conditions match as typed.</summary>
    public static string Cancelled(ShopifyOrder o) => o.CancelledAt is null && o.CancelReason is null ? "no" : "si";

    /// <summary>Whether an order's variables say it was cancelled (orden.cancelada, see <see cref="Cancelled"/>).</summary>
    public static bool IsCancelled(IReadOnlyDictionary<string, string?> fields) => fields.GetValueOrDefault("orden.cancelada") == "si";

    public static Dictionary<string, object?> ForShopifyOrder(ShopifyOrder o, Contact? contact)
    {
        var data = new Dictionary<string, object?>();
        void Set(string path, object? value) => TemplateData.Set(data, path, value);
        Set("orden.id", o.Id?.ToString(CultureInfo.InvariantCulture));
        Set("orden.numero", o.Name ?? o.OrderNumber?.ToString(CultureInfo.InvariantCulture));
        Set("orden.total", Money(o.TotalPrice));
        Set("orden.moneda", o.Currency);
        Set("orden.productos", new TemplateList(o.LineItems.Select(i => (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["sku"] = i.Sku, ["nombre"] = i.Title, ["variante"] = i.VariantTitle,
            ["cantidad"] = i.Quantity.ToString(CultureInfo.InvariantCulture), ["precio"] = Money(i.Price),
        })));
        var a = o.ShippingAddress;
        Set("orden.direccion_envio", a is null ? null : Join(a.Address1, a.Address2, a.City, a.Province, a.Country));
        Set("orden.ciudad", a?.City);
        Set("orden.tags", o.Tags.Count == 0 ? null : string.Join(", ", o.Tags));
        Set("orden.notas", o.Note);
        Set("orden.estado_pago", o.FinancialStatus);
        Set("orden.estado_envio", o.FulfillmentStatus);
        Set("orden.cancelada", Cancelled(o));
        Set("orden.motivo_cancelacion", o.CancelReason);
        var shipment = LatestShipment(o);
        Set("envio.guia", shipment?.TrackingNumber);
        Set("envio.transportadora", shipment?.TrackingCompany);
        Set("envio.url_seguimiento", shipment?.TrackingUrl);
        Set("envio.estado", shipment?.ShipmentStatus ?? shipment?.Status);
        // People read the date as the shop wrote it, in its own offset; the UTC value is for comparisons.
        Set("orden.fecha", o.CreatedAtAsSent ?? Date(o.CreatedAt));
        Set("orden.estado", o.DraftStatus);
        Set("orden.url_factura", o.InvoiceUrl);
        Set("tienda.dominio", o.ShopDomain);
        // "Hola {{cliente.nombre}}" greets by first name; the full name has its own variable.
        Set("cliente.nombre", o.Customer?.FirstName ?? CustomerName(o));
        Set("cliente.apellido", o.Customer?.LastName);
        Set("cliente.nombre_completo", CustomerName(o));
        Set("cliente.email", CustomerEmail(o));
        // A phone the order names but that cannot be dialled is kept as sent, so the run says "invalid" rather than "missing".
        Set("cliente.telefono", CustomerPhone(o) ?? o.PhoneAsSent);
        // Without auto-sync there is no CRM contact: the customer's own data stands in, without an id.
        AddContact(data, contact?.ToMessage() ?? new CrmContact(Guid.Empty, CustomerName(o), CustomerEmail(o), CustomerPhone(o), []));
        return data;
    }

    static void AddContact(Dictionary<string, object?> data, CrmContact? c)
    {
        if (c is null) return;
        TemplateData.Set(data, "contacto.id", c.Id == Guid.Empty ? null : c.Id.ToString());
        TemplateData.Set(data, "contacto.nombre", c.Name);
        TemplateData.Set(data, "contacto.email", c.Email);
        TemplateData.Set(data, "contacto.telefono", c.Phone);
        TemplateData.Set(data, "contacto.tags", c.Tags.Count == 0 ? null : string.Join(", ", c.Tags));
    }

    public static Dictionary<string, object?> ForContact(CrmContact contact, string? tag = null)
    {
        var data = new Dictionary<string, object?>();
        AddContact(data, contact);
        if (tag is not null) data["etiqueta"] = tag;
        return data;
    }

    public static Dictionary<string, object?> ForCrmOrder(CrmOrder order, CrmContact? contact)
    {
        var data = new Dictionary<string, object?>();
        TemplateData.Set(data, "orden.id", order.Id.ToString());
        TemplateData.Set(data, "orden.numero", order.Number);
        TemplateData.Set(data, "orden.total", Money(order.Total));
        TemplateData.Set(data, "orden.moneda", order.Currency);
        TemplateData.Set(data, "orden.estado_pago", order.PaymentStatus);
        TemplateData.Set(data, "orden.origen", order.Source);
        AddContact(data, contact);
        return data;
    }

    public static Dictionary<string, object?> ForTask(CrmTask task)
    {
        var data = new Dictionary<string, object?>();
        TemplateData.Set(data, "tarea.id", task.Id.ToString());
        TemplateData.Set(data, "tarea.titulo", task.Title);
        TemplateData.Set(data, "tarea.descripcion", task.Description);
        TemplateData.Set(data, "tarea.vence", Date(task.DueAt));
        TemplateData.Set(data, "tarea.contacto_id", task.ContactId?.ToString());
        return data;
    }

    public static Dictionary<string, object?> ForWhatsApp(WhatsAppMessageReceived m)
    {
        var data = new Dictionary<string, object?>();
        TemplateData.Set(data, "mensaje.texto", m.Body);
        TemplateData.Set(data, "mensaje.de", m.From);
        TemplateData.Set(data, "contacto.nombre", m.ContactName);
        TemplateData.Set(data, "contacto.telefono", m.From);
        return data;
    }
}
