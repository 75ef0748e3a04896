using MorfX.Rules;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>How Twilio splits (and bills) a body: GSM-7 when every character is in GSM 03.38, else UCS-2.</summary>
public class SmsSegmentsTests
{
    [TestCase("Hola Ana, tu orden #1001 va en camino", "GSM-7", 1)]
    [TestCase("Hola María, recibimos tu orden", "UCS-2", 1)]
    // GSM 03.38 has é ñ ¿ ¡ in its basic set (docs/protocols.md notes the shared copy had this wrong).
    [TestCase("¡Hola José! ¿Tu señal?", "GSM-7", 1)]
    [TestCase("¿Llegó tu pedido?", "UCS-2", 1)]
    [TestCase("Tu pedido va en camino 🚚", "UCS-2", 1)]
    [TestCase("", "GSM-7", 1)]
    public void Segments_and_encoding_follow_twilio(string body, string encoding, int segments) =>
        Assert.That(SmsSegments.Calculate(body), Is.EqualTo((encoding, segments)));

    [TestCase('a', 160, "GSM-7", 1)]
    [TestCase('a', 161, "GSM-7", 2)]
    [TestCase('a', 306, "GSM-7", 2)]
    [TestCase('a', 307, "GSM-7", 3)]
    [TestCase('á', 70, "UCS-2", 1)]
    [TestCase('á', 71, "UCS-2", 2)]
    [TestCase('á', 134, "UCS-2", 2)]
    [TestCase('á', 135, "UCS-2", 3)]
    public void Segment_boundaries_are_160_and_153_for_gsm_and_70_and_67_for_ucs2(char c, int length, string encoding, int segments) =>
        Assert.That(SmsSegments.Calculate(new string(c, length)), Is.EqualTo((encoding, segments)));

    [Test]
    public void Extension_characters_count_twice()
    {
        Assert.That(SmsSegments.Calculate(new string('€', 80)), Is.EqualTo(("GSM-7", 1)));
        Assert.That(SmsSegments.Calculate(new string('€', 81)), Is.EqualTo(("GSM-7", 2)));
    }
}
