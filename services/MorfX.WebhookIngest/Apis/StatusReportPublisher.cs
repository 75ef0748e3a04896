using MassTransit;
using MorfX.Contracts;
using MorfX.Messaging;
using MorfX.ServiceDefaults;

namespace MorfX.WebhookIngest.Apis;

/// <summary>
/// Twilio's status callbacks to sms-sender, many to one <see cref="TwilioStatusReports"/> message (<see cref="Coalescer{T}"/>):
/// those verified within 20 ms of each other, or while the previous message is being confirmed, go together. Each
/// callback is still answered 200 only after the broker confirmed the message that carries it.
/// </summary>
public sealed class StatusReportPublisher(IBus bus, WebhookOptions options) : IAsyncDisposable
{
    readonly Coalescer<TwilioStatusReported> _coalescer =
        Coalescer<TwilioStatusReported>.OnBus(bus, reports => new TwilioStatusReports(reports), options.PublishTimeout);

    public Task PublishAsync(TwilioStatusReported report, CancellationToken ct) => _coalescer.AddAsync(report, ct);

    public ValueTask DisposeAsync() => _coalescer.DisposeAsync();
}
