using Microsoft.Extensions.Options;
using MorfX.SmsSender.Sending;

namespace MorfX.SmsSender.Pricing;

/// <summary>
/// How long after a final status Twilio has usually set the price, learnt from the first checks. Adjusted at most every
/// 10 s, from at least 20 first checks: when more than 90 % found the price it comes 10 % earlier, when fewer than 70 % did
/// it goes 25 % later. Whole windows rather than single checks, because what the checks report was scheduled one delay
/// ago: stepping on each check would overshoot. Per instance, in memory; starts at Pricing:FirstCheckDelay, bounded by
/// 1 s and Pricing:MaxFirstCheckDelay.
/// </summary>
public sealed class PricingDelay(IOptions<PricingOptions> options, SmsMetrics metrics, TimeProvider clock)
{
    readonly PricingOptions settings = options.Value;
    static readonly TimeSpan Min = TimeSpan.FromSeconds(1), Window = TimeSpan.FromSeconds(10);
    const int MinObservations = 20;
    readonly Lock _gate = new();
    TimeSpan _delay = options.Value.FirstCheckDelay;
    int _priced, _missed;
    DateTimeOffset _windowStart = clock.GetUtcNow();

    public TimeSpan FirstCheckAfter
    {
        get { lock (_gate) return _delay; }
    }

    public void Observe(bool priced)
    {
        lock (_gate)
        {
            if (priced) _priced++; else _missed++;
            var now = clock.GetUtcNow();
            if (_priced + _missed < MinObservations || now - _windowStart < Window) return;
            var ratio = _priced / (double)(_priced + _missed);
            var next = ratio > 0.9 ? _delay * 0.9 : ratio < 0.7 ? _delay * 1.25 : _delay;
            _delay = next < Min ? Min : next > settings.MaxFirstCheckDelay ? settings.MaxFirstCheckDelay : next;
            (_priced, _missed, _windowStart) = (0, 0, now);
            metrics.PricingDelaySeconds.Record(_delay.TotalSeconds);
        }
    }
}
