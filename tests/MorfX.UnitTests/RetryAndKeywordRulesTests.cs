using System.Net;
using System.Net.Sockets;
using MorfX.SmsSender.OptOuts;
using MorfX.SmsSender.Twilio;
using NUnit.Framework;
using Polly;
using Polly.Timeout;

namespace MorfX.UnitTests;

/// <summary>The pure rules under exactly-once and opt-out: what may be posted again, and what an inbound SMS asks for.</summary>
public class RetryAndKeywordRulesTests
{
    static Outcome<HttpResponseMessage> Answer(HttpStatusCode status) => Outcome.FromResult(new HttpResponseMessage(status));
    static Outcome<HttpResponseMessage> Fault(Exception e) => Outcome.FromException<HttpResponseMessage>(e);
    static readonly Exception Refused = new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused));

    [Test]
    public void A_create_is_posted_again_only_when_twilio_cannot_have_processed_it()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TwilioHttp.ShouldRetry(Answer(HttpStatusCode.TooManyRequests), HttpMethod.Post), Is.True, "429: never processed");
            Assert.That(TwilioHttp.ShouldRetry(Fault(Refused), HttpMethod.Post), Is.True, "refused: nothing was sent");
            Assert.That(TwilioHttp.ShouldRetry(Answer(HttpStatusCode.InternalServerError), HttpMethod.Post), Is.False, "5xx is ambiguous");
            Assert.That(TwilioHttp.ShouldRetry(Answer(HttpStatusCode.BadGateway), HttpMethod.Post), Is.False);
            Assert.That(TwilioHttp.ShouldRetry(Fault(new TimeoutRejectedException()), HttpMethod.Post), Is.False, "a timeout after the request left is ambiguous");
            Assert.That(TwilioHttp.ShouldRetry(Fault(new HttpRequestException("reset", new IOException())), HttpMethod.Post), Is.False, "a reset is ambiguous");
            Assert.That(TwilioHttp.ShouldRetry(Answer(HttpStatusCode.BadRequest), HttpMethod.Post), Is.False, "a refusal is permanent");
        });
    }

    [Test]
    public void A_read_is_retried_on_any_transient_fault()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TwilioHttp.ShouldRetry(Answer(HttpStatusCode.ServiceUnavailable), HttpMethod.Get), Is.True);
            Assert.That(TwilioHttp.ShouldRetry(Fault(new TimeoutRejectedException()), HttpMethod.Get), Is.True);
            Assert.That(TwilioHttp.ShouldRetry(Fault(new HttpRequestException("reset", new IOException())), HttpMethod.Get), Is.True);
            Assert.That(TwilioHttp.ShouldRetry(Answer(HttpStatusCode.NotFound), HttpMethod.Get), Is.False);
        });
    }

    [TestCase("STOP", OptOutChange.OptOut)]
    [TestCase("stop", OptOutChange.OptOut)]
    [TestCase(" Unsubscribe ", OptOutChange.OptOut)]
    [TestCase("OPTOUT", OptOutChange.OptOut)]
    [TestCase("Salir", OptOutChange.OptOut)]
    [TestCase("SALÍR", OptOutChange.OptOut)]
    [TestCase("baja.", OptOutChange.OptOut)]
    [TestCase("¡Alto!", OptOutChange.OptOut)]
    [TestCase("cancelar", OptOutChange.OptOut)]
    [TestCase("Detener", OptOutChange.OptOut)]
    [TestCase("START", OptOutChange.OptIn)]
    [TestCase("yes", OptOutChange.OptIn)]
    [TestCase("Unstop", OptOutChange.OptIn)]
    [TestCase("alta", OptOutChange.OptIn)]
    [TestCase("quiero salir", OptOutChange.None)]
    [TestCase("STOP por favor", OptOutChange.None)]
    [TestCase("gracias", OptOutChange.None)]
    [TestCase("", OptOutChange.None)]
    public void A_keyword_counts_only_as_the_whole_body_whatever_its_case_and_accents(string body, OptOutChange expected) =>
        Assert.That(OptOutKeywords.Classify(body, null), Is.EqualTo(expected));

    [TestCase("hola", "STOP", OptOutChange.OptOut)]
    [TestCase("STOP", "START", OptOutChange.OptIn)]
    [TestCase("STOP", "HELP", OptOutChange.OptOut)]
    public void Twilio_opt_out_type_wins_over_the_body(string body, string optOutType, OptOutChange expected) =>
        Assert.That(OptOutKeywords.Classify(body, optOutType), Is.EqualTo(expected));
}
