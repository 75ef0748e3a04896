using MassTransit;
using MorfX.Contracts;
using MorfX.Messaging;
using MorfX.ServiceDefaults;
using MorfX.SmsSender.Data;

namespace MorfX.SmsSender.Sending;

/// <summary>
/// What sms-sender tells usage-api as it happens (a send's SmsSent, a callback's SmsStatusChanged), many SMS to one
/// <see cref="SmsActivity"/> message (<see cref="Coalescer{T}"/>): what completes within 20 ms, or while the previous message
/// is being confirmed, goes together. Each caller still waits for the confirmed publish before its own delivery is
/// acknowledged, so a lost announcement is announced again on redelivery, as before.
/// </summary>
public sealed class SmsActivityPublisher(IBus bus) : IAsyncDisposable
{
    readonly Coalescer<SmsActivity> _coalescer = Coalescer<SmsActivity>.OnBus(bus, SmsActivity.Merge, TimeSpan.FromSeconds(10));

    public Task SentAsync(SmsMessage row, CancellationToken ct) => _coalescer.AddAsync(SmsActivity.Of(new SmsSent(
        row.RequestId, row.WorkspaceId, row.MessageSid!, row.ToNumber, row.FromNumber ?? "", row.Body, row.Segments, row.Encoding,
        row.MediaUrls.Count, row.Status, row.AutomationId, row.SentAt ?? row.CreatedAt)), ct);

    public Task StatusChangedAsync(SmsStatusChanged change, CancellationToken ct) => _coalescer.AddAsync(SmsActivity.Of(change), ct);

    public ValueTask DisposeAsync() => _coalescer.DisposeAsync();
}
