using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Barometre.Core;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Core.Synthetic;
using Barometre.Data.Export.OpenData;
using Barometre.Data.Import;

namespace Barometre.Data.Tests.Export;

/// <summary>
/// The open-data package (<see cref="OpenDataPackage"/>): valid against the Frictionless specifications, every table
/// conforming to its schema, the dashboard's figures and secrecy exactly, reproducible byte for byte, and no
/// collectivité recoverable from its tables.
/// </summary>
public sealed class OpenDataPackageTest
{
    private static readonly Lazy<(ResponseSet Responses, BarometerResults Results)> Demo = new(() =>
    {
        var model = ShippedModels.Load("maturite-numerique-2019");
        var responses = SyntheticPanel.Generate(model);
        return (responses, Barometer.Compute(responses, new BarometerOptions { Bootstrap = 200 }));
    });

    private static readonly OpenDataMetadata Metadata = new()
    {
        Campaign = (7, "Baromètre 2019"),
        Created = new DateTime(2026, 12, 3, 14, 30, 0, DateTimeKind.Utc),
        Producer = "Observatoire du numérique",
        Homepage = new Uri("https://barometre.exemple.fr/resultats/7"),
    };

    [Fact]
    public void Descriptor_ValidatesAgainstTheFrictionlessSchemas()
    {
        var (responses, results) = Demo.Value;
        var package = OpenDataPackage.FromAnswers(responses, results, 5);

        DataPackageCheck.AssertValidDescriptor(package.Descriptor(Metadata));
        DataPackageCheck.AssertValidDescriptor(package.Descriptor(new OpenDataMetadata()));
        DataPackageCheck.AssertValidDescriptor(OpenDataPackage.FromResults(results, responses.Model, 5).Descriptor(new OpenDataMetadata()));
    }

    [Fact]
    public void EveryTable_ConformsToItsSchema()
    {
        var (responses, results) = Demo.Value;
        foreach (var threshold in new[] { 1, 3, 5, 12 })
        {
            var tables = DataPackageCheck.AssertTablesConform(Files(OpenDataPackage.FromAnswers(responses, results, threshold)));

            Assert.Equal(["selections", "themes", "questions", "niveaux", "distributions", "indicateurs", "scores_themes", "segments", "profils_segments"], tables.Keys);
        }
        DataPackageCheck.AssertTablesConform(Files(OpenDataPackage.FromResults(results, responses.Model, 5)));
    }

    [Fact]
    public void Descriptor_SaysLicenceModelMethodThresholdProducerAndDate()
    {
        var (responses, results) = Demo.Value;
        var package = OpenDataPackage.FromAnswers(responses, results, 5);

        using var json = JsonDocument.Parse(package.Descriptor(Metadata));
        var root = json.RootElement;

        Assert.Equal("tabular-data-package", root.GetProperty("profile").GetString());
        Assert.Equal("barometre-maturite-numerique-2019-campagne-7", root.GetProperty("name").GetString());
        Assert.Contains("Baromètre 2019", root.GetProperty("title").GetString(), StringComparison.Ordinal);
        var licence = Assert.Single(root.GetProperty("licenses").EnumerateArray());
        Assert.Equal("etalab-2.0", licence.GetProperty("name").GetString());
        Assert.Equal("https://www.etalab.gouv.fr/licence-ouverte-open-licence/", licence.GetProperty("path").GetString());
        Assert.Equal("Licence Ouverte / Open Licence version 2.0", licence.GetProperty("title").GetString());
        Assert.Equal("2026-12-03T14:30:00Z", root.GetProperty("created").GetString());
        Assert.Equal("Observatoire du numérique", Assert.Single(root.GetProperty("contributors").EnumerateArray()).GetProperty("title").GetString());
        Assert.Equal("https://barometre.exemple.fr/resultats/7", root.GetProperty("homepage").GetString());
        Assert.Equal("maturite-numerique-2019", root.GetProperty("referentiel").GetProperty("id").GetString());
        Assert.Equal(responses.Model.Edition, root.GetProperty("referentiel").GetProperty("edition").GetString());
        Assert.Equal(5, root.GetProperty("secret_statistique").GetProperty("seuil").GetInt32());
        Assert.Equal(PublicResultsJson.SecrecyRule(5), root.GetProperty("secret_statistique").GetProperty("regle").GetString());
        Assert.Contains("Wilson", root.GetProperty("methode").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, root.GetProperty("methode").GetProperty("bootstrap").GetInt32());
        Assert.Equal(40, root.GetProperty("repondants").GetInt32());

        // Without a date, the package has none: never the clock's.
        using var undated = JsonDocument.Parse(package.Descriptor(new OpenDataMetadata()));
        Assert.False(undated.RootElement.TryGetProperty("created", out _));
    }

    [Fact]
    public void SameResults_SameBytes()
    {
        var (responses, results) = Demo.Value;

        var first = Zip(OpenDataPackage.FromAnswers(responses, results, 5), Metadata);
        var second = Zip(OpenDataPackage.FromAnswers(responses, results, 5), Metadata);

        Assert.Equal(first, second);
        using var archive = new ZipArchive(new MemoryStream(first));
        Assert.Equal(["datapackage.json", "selections.csv", "themes.csv", "questions.csv", "niveaux.csv", "distributions.csv", "indicateurs.csv", "scores_themes.csv", "segments.csv", "profils_segments.csv"],
            archive.Entries.Select(e => e.FullName));
        Assert.All(archive.Entries, e => Assert.Equal(new DateTime(2026, 12, 3, 14, 30, 0), e.LastWriteTime.DateTime));
    }

    /// <summary>Every selection's rows are the dashboard's view of it (<see cref="Disclosure.ForFilter"/>), hidden exactly where it hides.</summary>
    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Figures_AreTheDashboardViews_SecretExactlyWhereItHides(int threshold)
    {
        var (responses, results) = Demo.Value;
        var plan = SecrecyPlan.Build(responses, threshold);
        var tables = DataPackageCheck.AssertTablesConform(Files(OpenDataPackage.FromAnswers(responses, results, threshold)));

        var selections = tables["selections"].Records.ToList();
        Assert.Equal(plan.All.Count(d => d.Suppressed || d.Respondents > 0), selections.Count);
        Assert.Contains(selections, s => s["secret_statistique"] == "true");
        var secretFigures = 0;
        foreach (var selection in selections)
        {
            var filter = new PanelFilter(Null(selection["type_collectivite"]), Null(selection["region"]), Null(selection["tranche_population"]));
            var decision = plan.Decide(filter);
            var id = selection["filtre"];
            Assert.Equal(decision.Suppressed ? "true" : "false", selection["secret_statistique"]);
            Assert.Equal(decision.Suppressed ? "" : Int(decision.Respondents), selection["repondants"]);
            var distributions = tables["distributions"].Records.Where(r => r["filtre"] == id).ToList();
            var themes = tables["scores_themes"].Records.Where(r => r["filtre"] == id).ToList();
            if (decision.Suppressed)
            {
                // A selection wholly under secrecy has only its line in selections.csv.
                Assert.Empty(distributions);
                Assert.Empty(themes);
                Assert.DoesNotContain(tables["segments"].Records, r => r["filtre"] == id);
                continue;
            }
            var view = Disclosure.ForFilter(responses, results, plan, filter);
            foreach (var question in view.Results.Questions)
            {
                var secret = view.IsSuppressed(FigureId.Question(question.Id));
                secretFigures += secret ? 1 : 0;
                var rows = distributions.Where(r => r["question_id"] == question.Id).OrderBy(r => int.Parse(r["niveau"], CultureInfo.InvariantCulture)).ToList();
                Assert.Equal(responses.Model.Scale.Count, rows.Count);
                for (var level = 0; level < rows.Count; level++)
                {
                    Assert.Equal(secret ? "true" : "false", rows[level]["secret_statistique"]);
                    Assert.Equal(secret ? "" : Int(question.Counts[level]), rows[level]["effectif"]);
                    Assert.Equal(secret ? "" : Int(question.Answered), rows[level]["repondants_question"]);
                    Assert.Equal(secret || question.Shares[level] is null ? "" : Num(question.Shares[level]!.Value), rows[level]["part"]);
                }
            }
            foreach (var theme in view.Results.Themes)
            {
                var secret = view.IsSuppressed(FigureId.Theme(theme.Id));
                var row = themes.Single(r => r["theme_id"] == theme.Id);
                Assert.Equal(secret ? "true" : "false", row["secret_statistique"]);
                Assert.Equal(secret || theme.Mean is null ? "" : Num(theme.Mean.Value), row["moyenne"]);
                Assert.Equal(secret || theme.Rank is null ? "" : Int(theme.Rank.Value), row["rang"]);
            }
            foreach (var segment in view.Results.Segments.Groups)
            {
                var row = tables["segments"].Records.Single(r => r["filtre"] == id && r["segment"] == segment.Label);
                var secret = view.IsSuppressed(Disclosure.SegmentPrefix + segment.Label);
                Assert.Equal(secret ? "" : Int(segment.Size), row["effectif"]);
            }
        }
        Assert.True(secretFigures > 0, "No figure of a published selection is secret: the test proves nothing about them.");
    }

    /// <summary>The package of a results file alone is the whole-panel part of the package of its answers, secrecy included.</summary>
    [Theory]
    [InlineData(5)]
    [InlineData(39)]
    [InlineData(41)]
    public void FromResults_IsTheWholePanelOfFromAnswers(int threshold)
    {
        var (responses, results) = Demo.Value;
        var full = DataPackageCheck.AssertTablesConform(Files(OpenDataPackage.FromAnswers(responses, results, threshold)));
        var alone = DataPackageCheck.AssertTablesConform(Files(OpenDataPackage.FromResults(results, responses.Model, threshold)));

        foreach (var (name, table) in alone)
        {
            var wholePanel = full[name].Rows.Where(r => name is "themes" or "questions" or "niveaux" || r[0] == "1").ToList();
            Assert.Equal(wholePanel, table.Rows);
        }
        if (threshold == 39)
        {
            // Some questions have fewer than 39 answers: hidden in both.
            Assert.Contains(alone["distributions"].Records, r => r["secret_statistique"] == "true");
            Assert.Contains(alone["distributions"].Records, r => r["secret_statistique"] == "false");
        }
    }

    /// <summary>
    /// The attack: 13 communes, 12 of them in Bretagne and 1 in Normandie, among others — « Commune » and « Commune ·
    /// Bretagne » differ by one collectivité. Whatever the package publishes, no collectivité's answer to a question or
    /// score on a theme is a sum or difference of published selections' figures: not by subtracting two nested
    /// selections, nor by any linear combination of the published groups (checked by elimination over the respondents).
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void SelectionsDifferingByOneCollectivite_DoNotRevealIt(int threshold)
    {
        var model = ShippedModels.Load("maturite-numerique-2019");
        var answers = SyntheticPanel.Generate(model, new SyntheticPanelOptions { Respondents = 30, Seed = 7 });
        var respondents = answers.Respondents.Select((r, i) => i switch
        {
            < 12 => r with { Type = "Commune", Region = "Bretagne", Population = 5_000 + (i * 1_000) },
            12 => r with { Type = "Commune", Region = "Normandie", Population = 8_000 },
            < 22 => r with { Type = "Communauté d'agglomération", Region = i % 2 == 0 ? "Bretagne" : "Normandie", Population = 60_000 + (i * 1_000) },
            _ => r with { Type = "Métropole", Region = "Bretagne", Population = 300_000 + (i * 10_000) },
        }).ToList();
        var responses = new ResponseSet(model, respondents, answers.Cells);
        var results = Barometer.Compute(responses, new BarometerOptions { Bootstrap = 50 });
        var tables = DataPackageCheck.AssertTablesConform(Files(OpenDataPackage.FromAnswers(responses, results, threshold)));

        var groups = tables["selections"].Records.ToDictionary(
            s => s["filtre"],
            s => new PanelFilter(Null(s["type_collectivite"]), Null(s["region"]), Null(s["tranche_population"])));
        var attacked = 0;
        for (var q = 0; q < model.Questions.Count; q++)
        {
            var id = model.Questions[q].Id;
            var population = Enumerable.Range(0, responses.Count).Where(r => responses[r, q] >= 0).ToList();
            var published = tables["distributions"].Records.Where(r => r["question_id"] == id && r["niveau"] == "0" && r["secret_statistique"] == "false")
                .Select(r => population.Where(p => groups[r["filtre"]].Matches(respondents[p])).ToHashSet()).ToList();
            attacked += AssertNothingIsolated(published, population, threshold, $"question {id}");
        }
        for (var t = 0; t < model.Themes.Count; t++)
        {
            var id = model.Themes[t].Id;
            var population = Enumerable.Range(0, responses.Count).Where(r => results.Scores[r].Themes[id] is not null).ToList();
            var published = tables["scores_themes"].Records.Where(r => r["theme_id"] == id && r["secret_statistique"] == "false")
                .Select(r => population.Where(p => groups[r["filtre"]].Matches(respondents[p])).ToHashSet()).ToList();
            attacked += AssertNothingIsolated(published, population, threshold, $"theme {id}");
        }
        Assert.True(attacked > model.Questions.Count, "Too few published groups to attack.");
        // The one commune of Normandie, in particular, is never isolated: « Commune » and « Commune · Bretagne » are not both published.
        var commune = tables["selections"].Records.Single(s => s["type_collectivite"] == "Commune" && s["region"] == "" && s["tranche_population"] == "")["filtre"];
        var communeBretagne = tables["selections"].Records.Single(s => s["type_collectivite"] == "Commune" && s["region"] == "Bretagne" && s["tranche_population"] == "")["filtre"];
        foreach (var question in model.Questions)
        {
            var shown = tables["distributions"].Records.Where(r => r["question_id"] == question.Id && r["niveau"] == "0" && r["secret_statistique"] == "false")
                .Select(r => r["filtre"]).ToHashSet();
            Assert.False(shown.Contains(commune) && shown.Contains(communeBretagne), $"question {question.Id}: Commune and Commune · Bretagne both published.");
        }
    }

    /// <summary>
    /// No two nested published groups differ by 1 to N − 1 respondents, and no single respondent is a linear combination of
    /// the published groups (rank over the primes: adding the respondent's vector must raise the rank).
    /// </summary>
    /// <returns>The number of published groups.</returns>
    private static int AssertNothingIsolated(List<HashSet<int>> published, List<int> population, int threshold, string what)
    {
        foreach (var large in published)
        {
            foreach (var small in published)
            {
                var difference = large.Count - small.Count;
                if (difference > 0 && small.IsSubsetOf(large))
                {
                    Assert.False(difference < threshold, $"{what}: two published groups differ by {difference} < {threshold}.");
                }
            }
        }
        var basis = Echelon(published.Select(g => population.Select(p => g.Contains(p) ? 1L : 0L).ToArray()).ToList());
        for (var i = 0; i < population.Count; i++)
        {
            var single = new long[population.Count];
            single[i] = 1;
            Assert.False(InSpan(basis, single), $"{what}: respondent {population[i]}'s value is a combination of published figures.");
        }
        return published.Count;
    }

    private const long Prime = 1_000_000_007;

    /// <summary>Row echelon form modulo a prime: the pivot rows with their pivot column.</summary>
    private static List<(int Pivot, long[] Row)> Echelon(List<long[]> rows)
    {
        var basis = new List<(int, long[])>();
        foreach (var original in rows)
        {
            var row = Reduce(basis, (long[])original.Clone());
            var pivot = Array.FindIndex(row, v => v != 0);
            if (pivot < 0)
            {
                continue;
            }
            var inverse = Power(row[pivot], Prime - 2);
            for (var j = 0; j < row.Length; j++)
            {
                row[j] = row[j] * inverse % Prime;
            }
            basis.Add((pivot, row));
        }
        return basis;
    }

    private static long[] Reduce(List<(int Pivot, long[] Row)> basis, long[] row)
    {
        foreach (var (pivot, b) in basis)
        {
            var factor = row[pivot];
            if (factor == 0)
            {
                continue;
            }
            for (var j = 0; j < row.Length; j++)
            {
                row[j] = ((row[j] - (factor * b[j])) % Prime + Prime) % Prime;
            }
        }
        return row;
    }

    private static bool InSpan(List<(int Pivot, long[] Row)> basis, long[] vector) => Reduce(basis, vector).All(v => v == 0);

    private static long Power(long value, long exponent)
    {
        var result = 1L;
        value %= Prime;
        while (exponent > 0)
        {
            if ((exponent & 1) == 1)
            {
                result = result * value % Prime;
            }
            value = value * value % Prime;
            exponent >>= 1;
        }
        return result;
    }

    private static Dictionary<string, byte[]> Files(OpenDataPackage package) =>
        package.Files(Metadata).ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);

    private static byte[] Zip(OpenDataPackage package, OpenDataMetadata metadata)
    {
        using var buffer = new MemoryStream();
        package.WriteZip(buffer, metadata);
        return buffer.ToArray();
    }

    private static string? Null(string value) => value.Length == 0 ? null : value;

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
