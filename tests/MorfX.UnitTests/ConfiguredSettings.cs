using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MorfX.UnitTests;

/// <summary>
/// A service's settings registration run on configuration given as key/value pairs, as the host would run it: values read
/// through IOptions, and the start-up check the host runs before it serves (ValidateOnStart) run on demand.
/// </summary>
public sealed class ConfiguredSettings : IDisposable
{
    readonly ServiceProvider _provider;

    public ConfiguredSettings(Action<IServiceCollection, IConfiguration> register, params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        register(services, configuration);
        _provider = services.BuildServiceProvider();
    }

    public IServiceProvider Services => _provider;

    public T Get<T>() where T : class => _provider.GetRequiredService<IOptions<T>>().Value;

    /// <summary>What the host does at start-up: every ValidateOnStart registration checked, all failures in one exception.</summary>
    public void ValidateOnStart() => _provider.GetRequiredService<IStartupValidator>().Validate();

    /// <summary>The start-up failure's message (every failure's, when several fail), or null when the settings are valid.</summary>
    public string? StartupFailure()
    {
        try
        {
            ValidateOnStart();
            return null;
        }
        catch (OptionsValidationException e)
        {
            return e.Message;
        }
        catch (AggregateException e) // several settings failed: the host reports them all
        {
            return string.Join(" | ", e.InnerExceptions.Select(i => i.Message).Distinct());
        }
    }

    public void Dispose() => _provider.Dispose();
}
