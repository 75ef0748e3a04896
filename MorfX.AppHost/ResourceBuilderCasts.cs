namespace MorfX.AppHost;

static class ResourceBuilderCasts
{
    /// <summary>The same builder, seen only as "a resource with a connection string", so both kinds of server fit one shape.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AsConnectionString<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithConnectionString => (IResourceBuilder<IResourceWithConnectionString>)builder;
}
