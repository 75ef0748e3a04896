using MorfX.Contracts;

namespace MorfX.AutomationEngine.Catalog;

/// <summary>
/// The one definition of every trigger and action (docs/architecture.md "The catalog"). The wizard's catalog
/// endpoint, validation, the preview's sample data and the AI builder's prompt and tools all read it,
/// so an entry added here is known everywhere.
/// </summary>
public static class AutomationCatalog
{
    public static readonly CatalogCategory Crm = new("crm", "CRM", "#3B82F6");
    public static readonly CatalogCategory WhatsApp = new("whatsapp", "WhatsApp", "#22C55E");
    public static readonly CatalogCategory Tareas = new("tareas", "Tareas", "#EAB308");
    public static readonly CatalogCategory Shopify = new("shopify", "Shopify", "#95BF47");
    public static readonly CatalogCategory Twilio = new("twilio", "Twilio", "#14B8A6");
    public static readonly CatalogCategory Flujo = new("flujo", "Flujo", "#A855F7");

    /// <summary>The longest wait: 30 days, in minutes.</summary>
    public const int MaxWaitMinutes = 43_200;

    public static class Actions
    {
        public const string SendSms = "send_sms";
        public const string CreateContact = "create_contact";
        public const string UpdateContact = "update_contact";
        public const string CreateOrder = "create_order";
        public const string AddTag = "add_tag";
        public const string CreateTask = "create_task";
        public const string SendWhatsApp = "send_whatsapp";
        public const string Wait = "wait";
    }

    static VariableDefinition V(string path, string label, string? sample) => new(path, label, sample);

    static readonly VariableDefinition[] Cliente =
    [
        V("cliente.nombre", "Nombre del cliente", "María"),
        V("cliente.apellido", "Apellido del cliente", "Gómez"),
        V("cliente.nombre_completo", "Nombre completo del cliente", "María Gómez"),
        V("cliente.email", "Email del cliente", "maria@example.com"),
        V("cliente.telefono", "Teléfono del cliente", "+573001234567"),
    ];

    static readonly VariableDefinition[] Contacto =
    [
        V("contacto.id", "Id del contacto en el CRM", "3f2b8c1e-0000-4000-8000-000000000001"),
        V("contacto.nombre", "Nombre del contacto", "María Gómez"),
        V("contacto.email", "Email del contacto", "maria@example.com"),
        V("contacto.telefono", "Teléfono del contacto", "+573001234567"),
        V("contacto.tags", "Etiquetas del contacto", "vip, shopify"),
    ];

    static readonly VariableDefinition Productos = new("orden.productos", "Productos de la orden", "2 x Camiseta negra, 1 x Gorra",
        [V("sku", "SKU", "CAM-001"), V("nombre", "Nombre del producto", "Camiseta negra"), V("variante", "Variante", "M"),
         V("cantidad", "Cantidad", "2"), V("precio", "Precio unitario", "45000.00")],
        [
            new Dictionary<string, string?> { ["sku"] = "CAM-001", ["nombre"] = "Camiseta negra", ["variante"] = "M", ["cantidad"] = "2", ["precio"] = "45000.00" },
            new Dictionary<string, string?> { ["sku"] = "GOR-002", ["nombre"] = "Gorra", ["variante"] = null, ["cantidad"] = "1", ["precio"] = "30000.00" },
        ]);

    static readonly VariableDefinition Fecha = V("orden.fecha", "Fecha de la orden (como la escribe la tienda)", "2026-11-21T10:30:00-05:00");

    static readonly VariableDefinition[] OrdenComun =
    [
        V("orden.id", "Id de la orden en Shopify", "5829384756"),
        V("orden.numero", "Número de la orden", "#1001"),
        V("orden.total", "Total de la orden", "120000.00"),
        V("orden.moneda", "Moneda", "COP"),
        Productos,
        V("orden.direccion_envio", "Dirección de envío", "Calle 10 # 5-20, Bogotá, Cundinamarca, Colombia"),
        V("orden.ciudad", "Ciudad de envío", "Bogotá"),
        V("orden.tags", "Etiquetas de la orden", "mayorista, promo"),
        V("orden.notas", "Notas de la orden", "Entregar en la tarde"),
        V("tienda.dominio", "Dominio de la tienda", "mi-tienda.myshopify.com"),
    ];

    static readonly VariableDefinition[] OrdenShopify =
    [
        .. OrdenComun,
        V("orden.estado_pago", "Estado del pago", "paid"),
        V("orden.estado_envio", "Estado del envío", "fulfilled"),
        V("orden.cancelada", "¿Orden cancelada? (si / no)", "no"),
        V("orden.motivo_cancelacion", "Motivo de la cancelación (customer, fraud, inventory, declined, staff, other)", "customer"),
        V("envio.guia", "Número de guía", "1Z001985YW99744790"),
        V("envio.transportadora", "Transportadora", "Servientrega"),
        V("envio.url_seguimiento", "Enlace de seguimiento del envío", "https://www.servientrega.com/rastreo?guia=1Z001985YW99744790"),
        V("envio.estado", "Estado del paquete (in_transit, out_for_delivery, delivered…)", "in_transit"),
        Fecha,
        .. Cliente,
        .. Contacto,
    ];

    static readonly VariableDefinition[] OrdenCrm =
    [
        V("orden.id", "Id de la orden en el CRM", "7c1d2e3f-0000-4000-8000-000000000002"),
        V("orden.numero", "Número de la orden", "#1001"),
        V("orden.total", "Total de la orden", "120000.00"),
        V("orden.moneda", "Moneda", "COP"),
        V("orden.estado_pago", "Estado del pago", "paid"),
        V("orden.origen", "Origen de la orden", "shopify"),
        .. Contacto,
    ];

    static readonly VariableDefinition[] Tarea =
    [
        V("tarea.id", "Id de la tarea", "9a8b7c6d-0000-4000-8000-000000000003"),
        V("tarea.titulo", "Título de la tarea", "Llamar al cliente"),
        V("tarea.descripcion", "Descripción", "Confirmar la dirección de envío"),
        V("tarea.vence", "Fecha de vencimiento", "2026-11-22T15:00:00Z"),
        V("tarea.contacto_id", "Id del contacto de la tarea", "3f2b8c1e-0000-4000-8000-000000000001"),
    ];

    public static readonly IReadOnlyList<TriggerDefinition> Triggers =
    [
        new(TriggerNames.ShopifyOrderCreated, "Orden creada en Shopify", "Se crea una orden en tu tienda de Shopify.",
            Shopify, IntegrationKinds.Shopify, OrdenShopify),
        new(TriggerNames.ShopifyDraftOrderCreated, "Borrador de orden creado en Shopify", "Se crea un borrador de orden (draft order) en Shopify.",
            Shopify, IntegrationKinds.Shopify,
            [.. OrdenComun, Fecha, V("orden.estado", "Estado del borrador", "open"), V("orden.url_factura", "Enlace de la factura", "https://mi-tienda.myshopify.com/invoices/abc"), .. Cliente]),
        new(TriggerNames.ShopifyOrderUpdated, "Orden actualizada en Shopify", "Cambia una orden de Shopify (pago, envío, notas…).",
            Shopify, IntegrationKinds.Shopify, OrdenShopify),
        new(TriggerNames.CrmContactCreated, "Contacto creado", "Se crea un contacto en el CRM.", Crm, null, Contacto),
        new(TriggerNames.CrmOrderCreated, "Orden creada en el CRM", "Se crea una orden en el CRM.", Crm, null, OrdenCrm),
        new(TriggerNames.CrmTagAdded, "Etiqueta agregada", "Se agrega una etiqueta a un contacto.", Crm, null,
            [.. Contacto, V("etiqueta", "Etiqueta agregada", "vip")]),
        new(TriggerNames.TaskCreated, "Tarea creada", "Se crea una tarea.", Tareas, null, Tarea),
        new(TriggerNames.TaskCompleted, "Tarea completada", "Se completa una tarea.", Tareas, null, Tarea),
        new(TriggerNames.WhatsAppMessageReceived, "Mensaje de WhatsApp recibido", "Llega un mensaje de WhatsApp.", WhatsApp, null,
            [V("mensaje.texto", "Texto del mensaje", "Hola, ¿tienen envíos a Medellín?"), V("mensaje.de", "Número que escribió", "+573001234567"),
             V("contacto.nombre", "Nombre del contacto", "María Gómez"), V("contacto.telefono", "Teléfono del contacto", "+573001234567")]),
    ];

    /// <summary>Twilio refuses a Body longer than 1,600 characters (docs/protocols.md).</summary>
    public const int SmsMaxLength = 1600;

    static FieldDefinition F(string key, string label, string type, bool required, string? example = null, int? maxLength = null) =>
        new(key, label, type, required, example, maxLength);

    public static readonly IReadOnlyList<ActionDefinition> ActionDefinitions =
    [
        new(Actions.SendSms, "Enviar SMS", "Envía un SMS (o MMS con imágenes) por Twilio.", Twilio, IntegrationKinds.Twilio,
            [F("to", "Para (teléfono)", FieldTypes.Phone, true, "{{cliente.telefono}}"),
             F("body", "Mensaje", FieldTypes.Template, true, "Hola {{cliente.nombre}}, recibimos tu orden {{orden.numero}}", SmsMaxLength),
             F("mediaUrls", "URLs de imágenes (MMS)", FieldTypes.UrlList, false, "[\"https://example.com/foto.jpg\"]")]),
        new(Actions.CreateContact, "Crear contacto", "Crea un contacto en el CRM.", Crm, null,
            [F("name", "Nombre", FieldTypes.Template, true, "{{cliente.nombre}}"), F("phone", "Teléfono", FieldTypes.Phone, false, "{{cliente.telefono}}"),
             F("email", "Email", FieldTypes.Template, false, "{{cliente.email}}")]),
        new(Actions.UpdateContact, "Actualizar contacto", "Actualiza los datos de un contacto del CRM.", Crm, null,
            [F("contactId", "Contacto", FieldTypes.Template, true, "{{contacto.id}}"), F("name", "Nombre", FieldTypes.Template, false),
             F("phone", "Teléfono", FieldTypes.Phone, false), F("email", "Email", FieldTypes.Template, false)]),
        new(Actions.CreateOrder, "Crear orden", "Crea una orden en el CRM.", Crm, null,
            [F("total", "Total", FieldTypes.Template, true, "{{orden.total}}"), F("contactId", "Contacto", FieldTypes.Template, false, "{{contacto.id}}"),
             F("number", "Número", FieldTypes.Template, false), F("currency", "Moneda", FieldTypes.Template, false, "COP")]),
        new(Actions.AddTag, "Agregar etiqueta", "Agrega una etiqueta a un contacto del CRM.", Crm, null,
            [F("contactId", "Contacto", FieldTypes.Template, true, "{{contacto.id}}"), F("tag", "Etiqueta", FieldTypes.Template, true, "cliente-shopify")]),
        new(Actions.CreateTask, "Crear tarea", "Crea una tarea para el equipo.", Tareas, null,
            [F("title", "Título", FieldTypes.Template, true, "Llamar a {{cliente.nombre}}"), F("description", "Descripción", FieldTypes.Template, false),
             F("contactId", "Contacto", FieldTypes.Template, false, "{{contacto.id}}"), F("dueInHours", "Vence en (horas)", FieldTypes.Number, false, "24")]),
        new(Actions.SendWhatsApp, "Enviar WhatsApp", "Envía un mensaje de WhatsApp.", WhatsApp, null,
            [F("to", "Para (teléfono)", FieldTypes.Phone, true, "{{cliente.telefono}}"), F("body", "Mensaje", FieldTypes.Template, true)]),
        new(Actions.Wait, "Esperar",
            "Espera unos minutos (de 1 a 43.200, 30 días) antes de las acciones siguientes. Al terminar revisa otra vez las condiciones " +
            "con el último estado conocido de la orden: si la orden se canceló o las condiciones ya no se cumplen, no sigue.", Flujo, null,
            [F("minutes", "Minutos de espera", FieldTypes.Number, true, "120")]),
    ];

    /// <summary>The automation's own settings (catalog's automationFields): what the wizard shows beside the trigger and actions.</summary>
    public static readonly IReadOnlyList<AutomationSetting> AutomationSettings =
    [
        new("purpose", "Tipo de mensajes",
            "Define las reglas de envío de los SMS de la automatización.",
            [new(Automations.Purposes.Transactional, "Transaccional",
                 "Avisos sobre una orden del cliente (confirmación, envío). No necesita consentimiento de marketing; respeta las bajas (SALIR)."),
             new(Automations.Purposes.Marketing, "Marketing",
                 "Promociones y pedidos de reseña. Solo se envía a quien aceptó recibir marketing por SMS (en Shopify, o respondiendo ALTA o START) " +
                 "y dentro de la ventana de envío; respeta las bajas y el límite de mensajes por cliente del espacio de trabajo.")],
            Automations.Purposes.Transactional, null),
        new("sendWindow", "Ventana de envío",
            "Horario en que pueden salir los SMS, en la hora local del destinatario (su país si tiene una sola zona horaria; si no, la de la " +
            "tienda de Shopify; si no, Bogotá). Fuera de la ventana el SMS queda en espera y sale cuando abre. Puede cruzar la medianoche " +
            "(22:00 a 02:00). Sin ventana, una automatización de marketing usa la del espacio de trabajo (por defecto 08:00 a 21:00, de lunes a sábado).",
            null, null, "{\"start\":\"08:00\",\"end\":\"21:00\",\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\"]}"),
    ];

    public static TriggerDefinition? Trigger(string? key) => Triggers.FirstOrDefault(t => t.Key == key);

    public static ActionDefinition? Action(string? key) => ActionDefinitions.FirstOrDefault(a => a.Key == key);

    /// <summary>The trigger's sample data, shaped like the data an execution renders with.</summary>
    public static Dictionary<string, object?> SampleData(TriggerDefinition trigger)
    {
        var data = new Dictionary<string, object?>();
        foreach (var variable in trigger.Variables)
            TemplateData.Set(data, variable.Path, variable.IsList
                ? new TemplateList(variable.SampleItems!.Select(i => (IDictionary<string, object?>)i.ToDictionary(p => p.Key, p => (object?)p.Value)))
                : variable.Sample);
        return data;
    }
}
