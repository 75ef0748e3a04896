namespace MorfX.AppHost;

static class ResourceBuilderCasts
{
    /// <summary>The same builder, seen only as "a resource with a connection string", so both kinds of server fit one shape.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AsConnectionString<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithConnectionString => (IResourceBuilder<IResourceWithConnectionString>)builder;

    /// <summary>
    /// A project served over plain HTTP only. Aspire gives every project a development-certificate configuration; with it
    /// the dashboard shows a "no trusted development certificate" error on any machine that has not trusted one, though
    /// nothing here speaks HTTPS (TLS ends at the ingress in production).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPlainHttpOnly(this IResourceBuilder<ProjectResource> builder)
    {
#pragma warning disable ASPIRECERTIFICATES001 // evaluation API in Aspire 13.6; the only way to drop that configuration
        return builder.WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001
    }
}
