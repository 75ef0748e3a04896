using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Shopify;

/// <summary>Why a shop could not be confirmed as the token's: the HTTP status to answer, a stable code and a Spanish detail.</summary>
public sealed record OwnershipRefusal(int Status, string Code, string Detail)
{
    public OwnershipRefusal(ProblemCode problem, string detail) : this(problem.Status, problem.Code, detail) { }
}
