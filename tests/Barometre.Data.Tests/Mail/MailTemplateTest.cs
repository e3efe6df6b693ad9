using Barometre.Data.Mail;

namespace Barometre.Data.Tests.Mail;

public sealed class MailTemplateTest
{
    private static readonly MailFields Fields = new(
        "Saint-Jean <script>alert(1)</script> & « Cie »", "https://barometre.exemple.fr/q/abc?x=1&y=2", "15 mars 2027", "Mission <numérique>", "Léa (lea@exemple.fr)");

    [Fact]
    public void Render_EscapesEveryValueInTheHtmlPart_AndLeavesThePlainTextAsIs()
    {
        var rendered = MailTemplate.Default(MailKind.Invitation).Render(Fields);

        Assert.Contains("<strong>Saint-Jean &lt;script&gt;alert(1)&lt;/script&gt; &amp; « Cie »</strong>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://barometre.exemple.fr/q/abc?x=1&amp;y=2\">", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("Mission &lt;numérique&gt;", rendered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("Saint-Jean <script>alert(1)</script> & « Cie » à y répondre", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("\nhttps://barometre.exemple.fr/q/abc?x=1&y=2\n", rendered.Text, StringComparison.Ordinal);
        Assert.Equal("Baromètre de la maturité numérique : le questionnaire de Saint-Jean <script>alert(1)</script> & « Cie »", rendered.Subject);
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Baromètre de la maturité numérique : le questionnaire de Saint-Jean &lt;script&gt;", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FillsEachPlaceholderWhereverItIs_AndKeepsTheSubjectOnOneLine()
    {
        var template = new MailTemplate("{collectivite}\r\n{date_limite}", "{lien} {lien} {organisateur} {contact} {date_limite}", "<p>{collectivite}</p>");

        var rendered = template.Render(Fields with { Collectivite = "A" });

        Assert.Equal("A 15 mars 2027", rendered.Subject);
        Assert.Equal("https://barometre.exemple.fr/q/abc?x=1&y=2 https://barometre.exemple.fr/q/abc?x=1&y=2 Mission <numérique> Léa (lea@exemple.fr) 15 mars 2027", rendered.Text);
    }

    [Theory]
    [InlineData("Objet", "Texte {lien}", "<p>{lien} {nom}</p>", "Le texte HTML contient « {nom} », qui n'est pas un champ connu : {collectivite}, {lien}, {date_limite}, {organisateur}, {contact}.")]
    [InlineData("Objet", "Texte sans lien", "<p>{lien}</p>", "Le texte brut et le texte HTML doivent contenir le lien du questionnaire : {lien}.")]
    [InlineData("Objet\u001b", "{lien}", "{lien}", "L'objet contient un caractère de contrôle (U+001B, position 6) : il tient sur une ligne, sans caractère de contrôle.")]
    [InlineData("", "{lien}", "{lien}", "L'objet, le texte brut et le texte HTML sont tous requis.")]
    public void Problem_NamesWhatIsWrong(string subject, string text, string html, string expected) =>
        Assert.Equal(expected, MailTemplate.Problem(subject, text, html));

    [Fact]
    public void Problem_DefaultTemplatesHaveNone()
    {
        foreach (var kind in new[] { MailKind.Invitation, MailKind.Reminder })
        {
            var template = MailTemplate.Default(kind);
            Assert.Null(MailTemplate.Problem(template.Subject, template.Text, template.Html));
        }
    }
}
