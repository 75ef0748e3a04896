using System.ComponentModel.DataAnnotations;

namespace MorfX.Messaging.Fairness;

/// <summary>
/// How much of the shared queues one workspace may fill before its messages go to the bulk lane (configuration section
/// <c>Fairness</c>): a token bucket per workspace, per publishing instance.
/// </summary>
public sealed class FairnessOptions
{
    public const string Section = "Fairness";

    /// <summary>Off: every message goes to the shared queue.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Messages a workspace may publish at once to the shared queue (the bucket's size).</summary>
    [Range(1, 100_000)] public int Burst { get; set; } = 20;

    /// <summary>Messages per second a workspace may keep publishing to the shared queue (the bucket's refill).</summary>
    [Range(0.01, 100_000)] public double PerSecond { get; set; } = 5;

    /// <summary>
    /// Messages of a bulk lane handled at once by one instance: few, so a flood keeps moving without taking the CPU and the
    /// connection pool from the shared queue's messages (scale out for more).
    /// </summary>
    [Range(1, 1_000)] public int BulkConcurrency { get; set; } = 2;

    /// <summary>Messages in one batch, for consumers that take batches (<see cref="FairnessExtensions.AddFairBatchConsumer{TConsumer, TMessage}"/>).</summary>
    [Range(1, 1_000)] public int BatchMessageLimit { get; set; } = 100;

    /// <summary>How long a batch waits for more messages after its first one before it is handled as it is.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")] public TimeSpan BatchTimeLimit { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Batches of a shared queue handled at once by one instance (a bulk lane handles <see cref="BulkConcurrency"/> batches).</summary>
    [Range(1, 100)] public int BatchConcurrency { get; set; } = 4;
}
