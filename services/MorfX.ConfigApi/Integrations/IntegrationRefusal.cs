using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Integrations;

/// <summary>
/// Why an integration operation changed nothing: a stable code and a Spanish detail (with the field errors when the form
/// was invalid), and the HTTP status the API answers with, as <see cref="Shopify.OwnershipRefusal"/> carries it.
/// </summary>
public sealed record IntegrationRefusal(int Status, string Code, string Detail, IReadOnlyList<FieldError>? Errors = null)
{
    public IntegrationRefusal(ProblemCode problem, string detail) : this(problem.Status, problem.Code, detail) { }

    public static IntegrationRefusal Invalid(IReadOnlyList<FieldError> errors) =>
        new(ProblemCode.ValidationFailed.Status, ProblemCode.ValidationFailed.Code, "", errors);

    public static IntegrationRefusal Invalid(FieldError error) => Invalid([error]);
}
