using MorfX.Rules;
using NUnit.Framework;

namespace MorfX.UnitTests;

public class SmartEncodingTests
{
    [TestCase("Tu pedido “#1001” está listo — gracias…", "Tu pedido \"#1001\" está listo - gracias...")]
    [TestCase("It’s ‘here’ – ok", "It's 'here' - ok")]
    [TestCase("Total：＄１０\u00A0USD", "Total:$10 USD")]
    [TestCase("Hola Ana, tu orden va en camino", "Hola Ana, tu orden va en camino")]
    [TestCase("", "")]
    public void Look_alikes_become_the_gsm_characters_twilio_sends(string body, string sent) =>
        Assert.That(SmartEncoding.Apply(body), Is.EqualTo(sent));

    [Test]
    public void A_body_and_its_smart_encoded_copy_are_the_same_text_either_way_round()
    {
        const string recorded = "“Gracias” — tu pedido’s listo…";
        Assert.That(SmartEncoding.Equivalent(recorded, SmartEncoding.Apply(recorded)), Is.True);
        Assert.That(SmartEncoding.Equivalent(SmartEncoding.Apply(recorded), recorded), Is.True);
        Assert.That(SmartEncoding.Equivalent(recorded, recorded), Is.True);
    }

    [TestCase("Tu pedido #1001 fue confirmado", "Tu pedido #1002 fue confirmado")]
    [TestCase("Hola", "Hola ")]
    [TestCase("Envío", "Envio")]
    public void Other_differences_still_count(string a, string b) => Assert.That(SmartEncoding.Equivalent(a, b), Is.False);

    [Test]
    public void No_text_and_empty_text_are_the_same() => Assert.That(SmartEncoding.Equivalent(null, ""), Is.True);
}
