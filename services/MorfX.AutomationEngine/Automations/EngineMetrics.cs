using System.Diagnostics.Metrics;

namespace MorfX.AutomationEngine.Automations;

/// <summary>The engine's own instruments on the shared "MorfX" meter.</summary>
public sealed class EngineMetrics(Meter meter)
{
    readonly Counter<long> _runs = meter.CreateCounter<long>("morfx.automation.runs", description: "Automation runs, by trigger and status");
    readonly Counter<long> _steps = meter.CreateCounter<long>("morfx.automation.steps", description: "Automation steps, by action and status");

    public void Run(string trigger, string status) => _runs.Add(1, new("trigger", trigger), new("status", status));

    public void Step(string action, string status) => _steps.Add(1, new("action", action), new("status", status));
}
