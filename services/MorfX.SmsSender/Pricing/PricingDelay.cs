using MorfX.SmsSender.Sending;

namespace MorfX.SmsSender.Pricing;

/// <summary>
/// How long after a final status Twilio has usually set the price, learnt from the first checks: a first check that
/// finds the price brings the next ones 5 % earlier, one that finds none puts them 20 % later. That settles where about
/// four first checks in five find the price, so most messages cost one fetch and none is asked long before Twilio can
/// answer. Per instance, in memory; starts at Pricing:FirstCheckDelay, bounded by 1 s and Pricing:MaxFirstCheckDelay.
/// </summary>
public sealed class PricingDelay(PricingSettings settings, SmsMetrics metrics)
{
    static readonly TimeSpan Min = TimeSpan.FromSeconds(1);
    readonly Lock _gate = new();
    TimeSpan _delay = settings.FirstCheckDelay;

    public TimeSpan FirstCheckAfter
    {
        get { lock (_gate) return _delay; }
    }

    public void Observe(bool priced)
    {
        lock (_gate)
        {
            var next = _delay * (priced ? 0.95 : 1.2);
            _delay = next < Min ? Min : next > settings.MaxFirstCheckDelay ? settings.MaxFirstCheckDelay : next;
            metrics.PricingDelaySeconds.Record(_delay.TotalSeconds);
        }
    }
}
