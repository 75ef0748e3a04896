using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Builder;
using MorfX.AutomationEngine.Extensions;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>The engine's LLM and cache settings: the AI builder is optional, but half a configuration stops start-up.</summary>
public class EngineOptionsTests
{
    static ConfiguredSettings Configure(params (string, string)[] values) => new((s, c) => s.AddEngineOptions(c), values);

    [Test]
    public void Without_an_LLM_the_engine_starts_and_the_builder_has_no_client()
    {
        using var settings = Configure();
        Assert.That(settings.StartupFailure(), Is.Null);
        Assert.That(BuilderLlm.Create(settings.Get<LlmOptions>()).Client, Is.Null);
        Assert.That(settings.Get<WorkspaceCacheOptions>().MaxCachedWorkspaces, Is.EqualTo(10_000));
    }

    [Test]
    public void An_endpoint_and_a_model_give_the_builder_a_client()
    {
        using var settings = Configure(("Llm:Endpoint", "http://127.0.0.1:5182/v1"), ("Llm:Model", "morfx-emulator"));
        Assert.That(settings.StartupFailure(), Is.Null);
        Assert.That(BuilderLlm.Create(settings.Get<LlmOptions>()).Client, Is.Not.Null);
    }

    [TestCase("Llm:Endpoint", "https://api.openai.com/v1")]
    [TestCase("Llm:Model", "gpt-4o-mini")]
    public void An_endpoint_without_a_model_or_the_reverse_stops_start_up(string key, string value)
    {
        using var settings = Configure((key, value));
        Assert.That(settings.StartupFailure(), Does.Contain("Llm:Endpoint and Llm:Model go together"));
    }

    [Test]
    public void An_endpoint_that_is_not_an_http_address_stops_start_up()
    {
        using var settings = Configure(("Llm:Endpoint", "api.openai.com/v1"), ("Llm:Model", "gpt-4o-mini"));
        Assert.That(settings.StartupFailure(), Does.Contain("Llm:Endpoint must be an absolute http(s) URL"));
    }

    [Test]
    public void A_cache_of_no_workspaces_stops_start_up()
    {
        using var settings = Configure(("Engine:MaxCachedWorkspaces", "0"));
        Assert.That(settings.StartupFailure(), Does.Contain("Engine:MaxCachedWorkspaces must be between"));
    }
}
