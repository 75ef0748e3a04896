using MassTransit;
using MorfX.Contracts;
using MorfX.Testing;

namespace MorfX.SmsSender.Tests;

/// <summary>
/// What sms-sender publishes, as usage-api and config-api would see it; the bus also publishes SmsRequested etc. Sends,
/// status changes and prices travel only in an SmsActivity, recorded itself and as each event it carries, as usage-api
/// applies them.
/// </summary>
public static class ObservedEvents
{
    public static Task<BusObserver> StartAsync() => BusObserver.StartAsync("sms-sender-tests-observer", (e, record) =>
    {
        e.Handler<SmsFailed>(c => record(c.Message));
        e.Handler<SmsSkipped>(c => record(c.Message));
        e.Handler<SmsDeliveryFailed>(c => record(c.Message));
        e.Handler<SmsActivity>(async c =>
        {
            await record(c.Message);
            foreach (var item in c.Message.Sent.Cast<object>().Concat(c.Message.StatusChanges).Concat(c.Message.Prices)) await record(item);
        });
        e.Handler<TwilioCredentialsRejected>(c => record(c.Message));
    });
}
