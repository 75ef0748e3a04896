using MorfX.ServiceDefaults;

namespace MorfX.DevTokens;

/// <summary>
/// `dotnet MorfX.DevTokens.dll [workspace-id] [owner|admin|agent]` prints a development token signed with the key in the
/// SIGNING_KEY environment variable (deploy/local/morfx token reads it from .morfx/secrets.env; never on the command line).
/// </summary>
static class Program
{
    static readonly Guid DemoWorkspace = Guid.Parse("00000000-0000-4000-8000-000000000001");
    static readonly string[] KnownRoles = [Roles.Owner, Roles.Admin, Roles.Agent];

    static int Main(string[] args)
    {
        var key = Environment.GetEnvironmentVariable("SIGNING_KEY");
        var workspace = DemoWorkspace;
        var role = args.Length > 1 ? args[1] : Roles.Owner;
        if (string.IsNullOrEmpty(key) || (args.Length > 0 && !Guid.TryParse(args[0], out workspace)) || !KnownRoles.Contains(role))
        {
            Console.Error.WriteLine("usage: SIGNING_KEY=<key> MorfX.DevTokens [workspace-id] [owner|admin|agent]");
            return 2;
        }
        Console.WriteLine(DevelopmentTokens.Create(key, workspace, role));
        return 0;
    }
}
