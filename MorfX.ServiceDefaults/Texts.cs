namespace MorfX.ServiceDefaults;

/// <summary>
/// Every Spanish text the shared defaults write (problem titles and the details of framework-made answers), in one place so
/// the wording and accents stay consistent. Machine codes stay in Problems.
/// </summary>
static class Texts
{
    // Problem titles, by HTTP status.
    public const string TitleBadRequest = "Solicitud inválida";
    public const string TitleUnauthorized = "No autenticado";
    public const string TitleForbidden = "Sin permiso";
    public const string TitleNotFound = "No encontrado";
    public const string TitleConflict = "Conflicto";
    public const string TitlePayloadTooLarge = "Contenido demasiado grande";
    public const string TitleUnprocessable = "Solicitud no procesable";
    public const string TitleTooManyRequests = "Demasiadas solicitudes";
    public const string TitleBadGateway = "Error del servicio externo";
    public const string TitleServiceUnavailable = "Servicio no disponible";
    public const string TitleOther = "Error";

    // Validation.
    public static string InvalidFields(IEnumerable<string> details) =>
        "La solicitud tiene campos inválidos: " + string.Join("; ", details);

    // Details of the answers the framework writes itself, by HTTP status.
    public const string BadRequest = "La solicitud no es válida.";
    public const string Unauthorized = "Falta el token de acceso o no es válido.";
    public const string Forbidden = "Tu rol no permite esta acción.";
    public const string NotFound = "El recurso no existe.";
    public const string MethodNotAllowed = "El método HTTP no está permitido aquí.";
    public const string PayloadTooLarge = "El cuerpo de la solicitud es demasiado grande.";
    public const string InvalidBody = "El cuerpo de la solicitud no es JSON válido o tiene tipos incorrectos.";
    public const string UnsupportedMediaType = "El tipo de contenido no es compatible.";
    public const string ServiceUnavailable = "El servicio no está disponible; intenta de nuevo en unos segundos.";
    public const string InternalError = "Ocurrió un error inesperado; ya quedó registrado.";
}
