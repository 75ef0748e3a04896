using Microsoft.Extensions.DependencyInjection;
using MorfX.SmsSender.Data;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.SmsSender.Tests.SmsStack;

namespace MorfX.SmsSender.Tests;

public class SchemaTests
{
    [Test]
    public async Task Ef_model_matches_the_migrated_sms_messages_schema()
    {
        using var scope = SmsSenderHost.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();

        var differences = await SchemaComparer.DifferencesAsync(db);

        Assert.That(differences, Is.Empty, string.Join(Environment.NewLine, differences));
    }
}
