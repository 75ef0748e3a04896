using NUnit.Framework;

namespace MorfX.AutomationEngine.Tests;

/// <summary>Stops the shared engine and bus before the run's databases and virtual host are removed.</summary>
[SetUpFixture]
public sealed class EngineTearDown : EngineFixture
{
    [OneTimeTearDown]
    public async Task StopEngine()
    {
        if (Bus is not null) await Bus.StopAsync();
        if (Engine is not null) await Engine.DisposeAsync();
        if (Llm is not null) await Llm.DisposeAsync();
    }
}
